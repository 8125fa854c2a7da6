package io.tidings.ops.internal;

import java.sql.SQLException;
import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;
import io.tidings.stream.internal.StreamCursors;

/**
 * Whether the streams keep up: each one's lag, failures and reader, and the age of the oldest open
 * writing transaction (whose events no stream sends before it ends). DOWN while a stream is
 * behind, further than {@code tidings.streams.max-lag}: an operator resets it. A wellness check.
 */
@Wellness
@Singleton
public class StreamCheck implements HealthCheck {

    @Inject
    StreamCursors cursors;
    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("streams");
        try {
            boolean anyBehind = false;
            for (StreamCursors.Status status : cursors.statuses()) {
                String name = "stream." + status.subscriberId() + ".";
                response.withData(name + "lagSeconds", status.lag(clock.instant()).toSeconds())
                        .withData(name + "failures", status.failures())
                        .withData(name + "reader", status.leased() ? status.reader() : "none");
                if (status.behindSince() != null) {
                    anyBehind = true;
                    response.withData(name + "behindSince", status.behindSince().toString());
                }
            }
            response.withData("oldestOpenTransactionSeconds", (long) cursors.oldestOpenWriter());
            return response.status(!anyBehind).build();
        } catch (SQLException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
