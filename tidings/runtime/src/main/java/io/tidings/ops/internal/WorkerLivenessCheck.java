package io.tidings.ops.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.tidings.delivery.internal.DeliveryWorker;
import io.tidings.delivery.internal.WorkerConfig;

/** Not live when the worker has stopped completing cycles: a stuck worker is fixed by a restart. */
@Liveness
@Singleton
public class WorkerLivenessCheck implements HealthCheck {

    private final DeliveryWorker worker;
    private final WorkerConfig workerConfig;
    private final Duration stall;
    private final Clock clock;
    private final Instant started;

    @Inject
    public WorkerLivenessCheck(DeliveryWorker worker, WorkerConfig workerConfig, HealthConfig config, Clock clock) {
        this.worker = worker;
        this.workerConfig = workerConfig;
        Duration threePolls = workerConfig.pollInterval().multipliedBy(3);
        this.stall = config.workerStall().compareTo(threePolls) > 0 ? config.workerStall() : threePolls;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public HealthCheckResponse call() {
        if (!workerConfig.enabled()) {
            return HealthCheckResponse.named("delivery-worker").up().withData("enabled", false).build();
        }
        Instant last = worker.lastCycleCompletedAt() != null ? worker.lastCycleCompletedAt() : started;
        Duration since = Duration.between(last, clock.instant());
        return HealthCheckResponse.named("delivery-worker")
                .status(worker.isRunning() && since.compareTo(stall) <= 0)
                .withData("secondsSinceLastCycle", since.toSeconds())
                .withData("stallSeconds", stall.toSeconds())
                .build();
    }
}
