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
 * An event that browser code sent through the relay. Its properties are both payloads; their
 * schema (enums and numbers only) keeps anything personal out.
 */
@Emits(value = "client:screen_viewed", description = "A person opened a screen of the application (sent by the browser).",
        telemetry = true, fromClients = true)
@Entity
@DiscriminatorValue("client")
public class ClientEvent extends Event {


    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "client_properties", updatable = false)
    private String properties;

    protected ClientEvent() {
    }

    public ClientEvent(String type, ObjectNode properties) {
        super(type);
        this.properties = properties.toString();
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
        return StoredJson.object(properties, "client properties");
    }
}
