package io.tidings.outbox.internal;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorColumn;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;

/**
 * Someone who receives events: a webhook endpoint or the analytics backend. One table, one
 * subclass per kind; the kind decides which payload the subscriber gets and which sender sends it.
 */
@Entity
@Table(name = "subscribers")
@Inheritance(strategy = InheritanceType.SINGLE_TABLE)
@DiscriminatorColumn(name = "kind")
public abstract class Subscriber {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Id
    protected UUID id;

    // The kind's own settings (a webhook's URL, a topic), handed to its sender whole with each delivery.
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "target", nullable = false)
    private String target = "{}";

    protected boolean enabled = true;

    // Deliveries of one ordering key in the order of their events, one at a time.
    private boolean ordered;

    // At most this many deliveries a second over all instances (the claim keeps the pace); null for no limit.
    @Column(name = "max_per_second")
    private Integer maxPerSecond;

    @Column(name = "disabled_reason")
    protected String disabledReason;

    /** Since when it is disabled: its pending deliveries wait, parked, until retention purges them. */
    @Column(name = "disabled_at")
    protected Instant disabledAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    protected Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    protected Instant updatedAt;

    protected Subscriber() {
    }

    protected Subscriber(UUID id, Instant now) {
        this.id = id;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A copy of the kind's settings. */
    protected ObjectNode target() {
        return readTarget(target);
    }

    /** A {@code subscribers.target} value, as its text is stored. */
    public static ObjectNode readTarget(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("subscribers.target is a JSON object", e);
        }
    }

    protected void target(ObjectNode settings) {
        target = settings.toString();
    }

    public UUID getId() {
        return id;
    }

    public boolean isOrdered() {
        return ordered;
    }

    public void setOrdered(boolean ordered, Instant now) {
        this.ordered = ordered;
        updatedAt = now;
    }

    /** The most deliveries a second it is sent, over all instances; null when it has no limit. */
    public Integer getMaxPerSecond() {
        return maxPerSecond;
    }

    public void setMaxPerSecond(Integer maxPerSecond, Instant now) {
        this.maxPerSecond = maxPerSecond;
        updatedAt = now;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Why the subscriber was disabled, when it was disabled rather than switched off by its owner. */
    public String getDisabledReason() {
        return disabledReason;
    }

    public Instant getDisabledAt() {
        return disabledAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public void enable(Instant now) {
        enabled = true;
        disabledReason = null;
        disabledAt = null;
        updatedAt = now;
    }

    public void disable(String reason, Instant now) {
        if (enabled) {
            disabledAt = now;
        }
        enabled = false;
        disabledReason = reason;
        updatedAt = now;
    }
}
