package io.tidings.ops.internal;

import java.sql.SQLException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;
import io.tidings.delivery.internal.OutboxStats;

/**
 * Whether the outbox keeps up: DOWN when the oldest due delivery has waited longer than
 * {@code tidings.health.max-lag}; names the outbox tables autovacuum is off for. A wellness check
 * (/q/health/well): a backlog calls for an operator, not for restarting or unrouting the instance.
 */
@Wellness
@Singleton
public class OutboxCheck implements HealthCheck {

    @Inject
    OutboxStats stats;
    @Inject
    HealthConfig config;
    @Inject
    OutboxVacuum vacuum;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox");
        try {
            OutboxStats.Snapshot snapshot = stats.read();
            response.withData("pending", snapshot.totalPending())
                    .withData("oldestDueSeconds", (long) snapshot.oldestDue())
                    .withData("maxLagSeconds", config.maxLag().toSeconds())
                    .withData("disabledWebhooks", snapshot.disabledWebhooks());
            snapshot.pending().forEach((kind, count) -> response.withData("pending." + kind, count));
            List<String> unvacuumed = vacuum.tablesWithoutAutovacuum();
            if (!unvacuumed.isEmpty()) {
                response.withData("autovacuumOff", String.join(",", unvacuumed));
            }
            return response.status(snapshot.oldestDue() <= config.maxLag().toSeconds()).build();
        } catch (SQLException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
