package io.tidings.webhook.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.delivery.internal.RetryPolicy;
import io.tidings.outbox.internal.Subscriber;
import io.tidings.outbox.internal.TypePattern;

/**
 * An HTTP endpoint of a tenant that receives the notification payload of that tenant's events whose
 * types its patterns match, signed with its secret.
 */
@Entity
@DiscriminatorValue("webhook")
public class WebhookSubscriber extends Subscriber {

    static final int MOST_PREVIOUS_SECRETS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Column(name = "tenant_id", updatable = false)
    private UUID tenantId;

    private String description;

    private String secret;

    // [{"secret": sealed, "expires_at": ISO instant}], newest first
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "previous_secrets")
    private String previousSecrets = "[]";

    @Column(name = "failing_since")
    private Instant failingSince;

    // written by AutoDisable alone, about once a minute at most
    @Column(name = "last_success_at", insertable = false, updatable = false)
    private Instant lastSuccessAt;

    @Column(name = "consecutive_dead")
    private int consecutiveDead;

    @Column(name = "receives_private_metadata")
    private boolean receivesPrivateMetadata;

    // The webhook's own headers and OAuth client, sealed as {"headers": {...}, "oauth2": {...}}; the
    // headers' names in clear, comma-separated, and what may be shown of the OAuth client.
    @Column(name = "sealed_credentials")
    private String sealedCredentials;

    @Column(name = "header_names")
    private String headerNames;

    @Column(name = "auth_summary")
    private String authSummary;

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
        target(target().put("url", url));
        this.description = description;
        this.secret = secret;
        setEventTypes(eventTypes);
    }

    /**
     * @param sealed      the headers and the OAuth client, sealed; null for none
     * @param names       the headers' names
     * @param authSummary what the API shows of the OAuth client, as JSON; null for none
     */
    public void setCredentials(String sealed, List<String> names, String authSummary, Instant now) {
        sealedCredentials = sealed;
        headerNames = names.isEmpty() ? null : String.join(",", names);
        this.authSummary = authSummary;
        updatedAt = now;
    }

    /** The sealed headers and OAuth client, or null. */
    String getSealedCredentials() {
        return sealedCredentials;
    }

    /** What may be shown of its OAuth client ({@code {"type": "oauth2", "tokenUrl": ...}}), as JSON, or null. */
    public String getAuthSummary() {
        return authSummary;
    }

    /** The names of the headers it sends besides Tidings' own, never their values. */
    public List<String> getHeaderNames() {
        return headerNames == null ? List.of() : List.of(headerNames.split(","));
    }

    public UUID getTenantId() {
        return tenantId;
    }

    public String getUrl() {
        return target().path("url").asText(null);
    }

    /** A grant of private metadata was made for the receiver at the old URL: a new one loses it. */
    /** Its own waits between attempts, kept with its settings; empty for the installation's schedule. */
    public void setRetrySchedule(List<Duration> schedule, Instant now) {
        ObjectNode target = target();
        target.remove(RetryPolicy.TARGET_SCHEDULE);
        if (!schedule.isEmpty()) {
            schedule.forEach(wait -> target.withArray(RetryPolicy.TARGET_SCHEDULE).add(wait.getSeconds()));
        }
        target(target);
        updatedAt = now;
    }

    /** Its own waits between attempts; empty when it follows the installation's schedule. */
    public List<Duration> getRetrySchedule() {
        return RetryPolicy.scheduleIn(target());
    }

    public void setUrl(String url) {
        if (!url.equals(getUrl())) {
            receivesPrivateMetadata = false;
        }
        target(target().put("url", url));
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

    /**
     * Replaces the secret; the old one keeps signing for {@code overlap}, so receivers can switch
     * without losing messages. Earlier secrets still within their own overlap keep signing too (at
     * most {@link #MOST_PREVIOUS_SECRETS}), so a second rotation drops none a receiver may still use.
     *
     * @param sealedSecret the new secret, sealed for storage
     */
    public void rotateSecret(String sealedSecret, Duration overlap, Instant now) {
        try {
            ArrayNode kept = JSON.createArrayNode();
            kept.addObject().put("secret", secret).put("expires_at", now.plus(overlap).toString());
            for (JsonNode previous : JSON.readTree(previousSecrets)) {
                if (kept.size() < MOST_PREVIOUS_SECRETS && Instant.parse(previous.path("expires_at").asText()).isAfter(now)) {
                    kept.add(previous);
                }
            }
            previousSecrets = kept.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("previous_secrets is a JSON array", e);
        }
        secret = sealedSecret;
        updatedAt = now;
    }

    /** Since when every delivery has failed; null while the last one succeeded. */
    public Instant getFailingSince() {
        return failingSince;
    }

    /** When a delivery last succeeded, to about the minute. */
    public Instant getLastSuccessAt() {
        return lastSuccessAt;
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
