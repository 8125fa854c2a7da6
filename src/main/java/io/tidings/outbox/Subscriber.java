package io.tidings.outbox;

import java.time.Instant;
import java.util.UUID;

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

    @Id
    protected UUID id;

    protected boolean enabled = true;

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

    public UUID getId() {
        return id;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Why the subscriber was disabled, when it was disabled rather than switched off by its owner. */
    public String getDisabledReason() {
        return disabledReason;
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
