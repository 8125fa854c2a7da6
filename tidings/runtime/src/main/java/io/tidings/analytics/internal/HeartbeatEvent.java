package io.tidings.analytics.internal;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;

/**
 * Once a day, how much the installation is used: counts in buckets of tens, never a name, an
 * address or an id. Both payloads are the counts; their schema keeps anything else out.
 */
@Emits(value = HeartbeatEvent.TYPE, description = "Once a day: how much this installation is used, in buckets (events per type, "
        + "webhooks, tenants, streams) and its Tidings version.", telemetry = true)
@Entity
@DiscriminatorValue("installation")
public class HeartbeatEvent extends Event {

    public static final String TYPE = "installation:heartbeat";

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "heartbeat", updatable = false)
    private String counts;

    protected HeartbeatEvent() {
    }

    public HeartbeatEvent(ObjectNode counts) {
        super(TYPE);
        this.counts = counts.toString();
    }

    @Override
    public ObjectNode toNotificationPayload() {
        return parse();
    }

    @Override
    public ObjectNode toTelemetryPayload() {
        return parse();
    }

    private ObjectNode parse() {
        return StoredJson.object(counts, "heartbeat counts");
    }
}
