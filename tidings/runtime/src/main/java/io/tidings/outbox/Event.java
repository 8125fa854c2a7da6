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

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.PublicApi;

/**
 * A domain event, recorded with {@link Outbox#registerEvent(Event)} in the transaction that made it
 * happen. Events are stored in one table (single-table inheritance): each subclass adds the columns
 * of its layer and annotates itself with {@code @DiscriminatorValue}.
 *
 * <p>Each class renders two payloads, and builds them on top of its parent's: call
 * {@code super.toNotificationPayload()}, then add the fields of its own layer. The notification
 * payload goes to the user's webhooks; the telemetry payload goes to the analytics backend and must
 * never carry names, emails, free text, URLs or file paths.
 *
 * <p>An event is a fact: once recorded it is never changed, and the payloads rendered at that
 * moment are what every subscriber receives.
 */
@Entity
@Table(name = "events")
@Inheritance(strategy = InheritanceType.SINGLE_TABLE)
@DiscriminatorColumn(name = "kind")
@PublicApi
public abstract class Event {

    @Id
    private UUID id;

    @Column(nullable = false, updatable = false)
    private String type;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private Instant occurredAt;

    @Column(name = "recorded_at", nullable = false, updatable = false)
    private Instant recordedAt;

    @Column(name = "tenant_id", updatable = false)
    private UUID tenantId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "private_metadata", updatable = false)
    private String privateMetadata;

    // The payloads and key as rendered when the event was recorded: what streams, which read the
    // events as a log, send. Written once, never read back into the entity's own methods.
    @Column(name = "notification", updatable = false)
    private String renderedNotification;

    @Column(name = "telemetry", updatable = false)
    private String renderedTelemetry;

    @Column(name = "ordering_key", updatable = false)
    private String renderedOrderingKey;

    @Column(name = "schema_version", updatable = false)
    private Integer renderedSchemaVersion;

    @Column(name = "traceparent", updatable = false)
    private String traceparent;

    @Column(name = "tracestate", updatable = false)
    private String tracestate;

    /** For JPA. */
    protected Event() {
    }

    /** @param type a name registered in the {@code event_types} table, such as {@code project:created} */
    protected Event(String type) {
        this(type, null);
    }

    /**
     * @param tenantId the tenant the event belongs to: only that tenant's webhooks receive it. Null
     *                 for an event of the installation, which goes to webhooks without a tenant.
     */
    protected Event(String type, UUID tenantId) {
        this.type = type;
        this.tenantId = tenantId;
    }

    /**
     * The aggregate the event belongs to, such as its project's id: subscribers that ask for order
     * receive the events of one key in the order they were recorded, and a broker keys its records
     * by it. Null, the default, leaves the event out of any order.
     */
    public String orderingKey() {
        return null;
    }

    /** The payload sent to webhook subscribers as the {@code data} of the message. */
    public abstract ObjectNode toNotificationPayload();

    /**
     * The notification payload at an older version of its type's schemas, one the class lists in
     * {@link Emits#versions()}, for the webhooks that pin it. Called as the event is recorded, once
     * per older version, and checked against that version's schema. This base answers the current
     * payload; a class with older versions overrides it to reshape that (rename back, drop what v1
     * did not have) or to build the older one anew.
     */
    public ObjectNode toNotificationPayload(int schemaVersion) {
        return toNotificationPayload();
    }

    /**
     * The anonymized payload sent to the analytics backend as the {@code properties} of the capsule.
     * This base answers null, which means the event exports nothing: a class need not write it unless
     * one of its types says {@code @Emits(telemetry = true)}, and then the build checks that it does.
     */
    public ObjectNode toTelemetryPayload() {
        return null;
    }

    public UUID getId() {
        return id;
    }

    public String getType() {
        return type;
    }

    /** When it happened; the time of recording unless the application set it. */
    public Instant getOccurredAt() {
        return occurredAt;
    }

    public Instant getRecordedAt() {
        return recordedAt;
    }

    public UUID getTenantId() {
        return tenantId;
    }

    /**
     * Attaches private metadata (a transcript, say): it is stored with the event, never part of
     * the telemetry payload, and sent only to subscribers granted it, for the types listed in
     * {@code tidings.analytics.private-metadata-types}.
     */
    public Event withPrivateMetadata(ObjectNode metadata) {
        this.privateMetadata = metadata == null ? null : metadata.toString();
        return this;
    }

    /** The private metadata as JSON text, or null. */
    public String getPrivateMetadata() {
        return privateMetadata;
    }

    /** Sets when the event happened, for applications that learn of it after the fact. */
    protected void setOccurredAt(Instant occurredAt) {
        this.occurredAt = occurredAt;
    }

    void stamp(UUID newId, Instant now) {
        if (id == null) {
            id = newId;
        }
        if (occurredAt == null) {
            occurredAt = now;
        }
        recordedAt = now;
    }

    void renderedWith(int schemaVersion) {
        renderedSchemaVersion = schemaVersion;
    }

    void recordedIn(String traceparent, String tracestate) {
        this.traceparent = traceparent;
        this.tracestate = tracestate;
    }

    void freeze(String notification, String telemetry, String orderingKey) {
        renderedNotification = notification;
        renderedTelemetry = telemetry;
        renderedOrderingKey = orderingKey;
    }

    /** A new empty JSON object, the root of a payload. */
    protected static ObjectNode newPayload() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The object at {@code path} below {@code root}, created where missing: the parent layer's part of a payload. */
    protected static ObjectNode objectAt(ObjectNode root, String... path) {
        ObjectNode node = root;
        for (String name : path) {
            node = node.has(name) ? (ObjectNode) node.get(name) : node.putObject(name);
        }
        return node;
    }
}
