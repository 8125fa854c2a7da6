package io.tidings.analytics.internal;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import io.tidings.outbox.internal.Subscriber;

/**
 * The analytics backend: one per installation, receiving the telemetry payload of every
 * telemetry-allowed event type while analytics is enabled.
 */
@Entity
@DiscriminatorValue("analytics")
public class AnalyticsSubscriber extends Subscriber {

    /** The id of the one analytics subscriber row. */
    public static final UUID ID = UUID.fromString("00000000-0000-7000-8000-0000000a1a17");

    protected AnalyticsSubscriber() {
    }

    AnalyticsSubscriber(Instant now) {
        super(ID, now);
    }

    public String getUrl() {
        return target().path("url").asText(null);
    }

    void configure(boolean enabled, String url, Instant now) {
        target(url == null ? target().removeAll() : target().put("url", url));
        if (enabled) {
            enable(now);
        } else {
            disable("analytics is not enabled (tidings.analytics.enabled and tidings.analytics.endpoint)", now);
        }
    }
}
