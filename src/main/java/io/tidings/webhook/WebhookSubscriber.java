package io.tidings.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;

import io.tidings.outbox.Subscriber;
import io.tidings.outbox.TypePattern;

/**
 * An HTTP endpoint of a tenant that receives the notification payload of that tenant's events whose
 * types its patterns match, signed with its secret.
 */
@Entity
@DiscriminatorValue("webhook")
public class WebhookSubscriber extends Subscriber {

    @Column(name = "tenant_id", updatable = false)
    private UUID tenantId;

    private String url;

    private String description;

    private String secret;

    @Column(name = "previous_secret")
    private String previousSecret;

    @Column(name = "previous_secret_expires_at")
    private Instant previousSecretExpiresAt;

    @Column(name = "failing_since")
    private Instant failingSince;

    @Column(name = "consecutive_dead")
    private int consecutiveDead;

    @Column(name = "receives_private_metadata")
    private boolean receivesPrivateMetadata;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "subscriptions", joinColumns = @JoinColumn(name = "subscriber_id"))
    @Column(name = "pattern")
    private Set<String> eventTypes = new LinkedHashSet<>();

    protected WebhookSubscriber() {
    }

    public WebhookSubscriber(UUID id, UUID tenantId, String url, Set<TypePattern> eventTypes, String description,
            String secret, Instant now) {
        super(id, now);
        this.tenantId = tenantId;
        this.url = url;
        this.description = description;
        this.secret = secret;
        setEventTypes(eventTypes);
    }

    public UUID getTenantId() {
        return tenantId;
    }

    public String getUrl() {
        return url;
    }

    /** A grant of private metadata was made for the receiver at the old URL: a new one loses it. */
    public void setUrl(String url) {
        if (!url.equals(this.url)) {
            receivesPrivateMetadata = false;
        }
        this.url = url;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public Set<String> getEventTypes() {
        return Set.copyOf(eventTypes);
    }

    public void setEventTypes(Set<TypePattern> patterns) {
        eventTypes.clear();
        patterns.forEach(pattern -> eventTypes.add(pattern.value()));
    }

    /** Replaces the secret; the old one keeps signing for {@code overlap}, so receivers can switch without losing messages. */
    public void rotateSecret(String newSecret, Duration overlap, Instant now) {
        previousSecret = secret;
        previousSecretExpiresAt = now.plus(overlap);
        secret = newSecret;
        updatedAt = now;
    }

    /** Whether an operator granted this webhook the private metadata of events (for the types configured). */
    public boolean receivesPrivateMetadata() {
        return receivesPrivateMetadata;
    }

    public void grantPrivateMetadata(boolean granted, Instant now) {
        receivesPrivateMetadata = granted;
        updatedAt = now;
    }

    /** Re-enabling starts the failure count afresh. */
    @Override
    public void enable(Instant now) {
        super.enable(now);
        failingSince = null;
        consecutiveDead = 0;
    }
}
