package io.tidings.webhook;

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

/** An HTTP endpoint that receives the notification payload of the event types its patterns match. */
@Entity
@DiscriminatorValue("webhook")
public class WebhookSubscriber extends Subscriber {

    private String url;

    private String description;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "subscriptions", joinColumns = @JoinColumn(name = "subscriber_id"))
    @Column(name = "pattern")
    private Set<String> eventTypes = new LinkedHashSet<>();

    protected WebhookSubscriber() {
    }

    public WebhookSubscriber(UUID id, String url, Set<TypePattern> eventTypes, String description, Instant now) {
        super(id, now);
        this.url = url;
        this.description = description;
        setEventTypes(eventTypes);
    }

    public String getUrl() {
        return url;
    }

    public String getDescription() {
        return description;
    }

    public Set<String> getEventTypes() {
        return Set.copyOf(eventTypes);
    }

    public void setEventTypes(Set<TypePattern> patterns) {
        eventTypes.clear();
        patterns.forEach(pattern -> eventTypes.add(pattern.value()));
    }
}
