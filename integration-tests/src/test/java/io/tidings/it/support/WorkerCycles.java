package io.tidings.it.support;

import java.time.Duration;
import java.time.Instant;

import io.tidings.delivery.internal.DeliveryWorker;

/** Waiting on the worker by what it did, not by the clock on the wall. */
public final class WorkerCycles {

    private WorkerCycles() {
    }

    /**
     * Returns once the worker has completed a cycle that began after this call: a cycle that
     * completed after another one completed after now began after now.
     */
    public static void awaitFreshCycle(DeliveryWorker worker, TestClock clock) {
        Duration wait = Duration.ofSeconds(20);
        Instant now = clock.instant();
        WebhookReceiver.await(() -> worker.lastCycleCompletedAt() != null && worker.lastCycleCompletedAt().isAfter(now),
                wait, () -> "no worker cycle");
        Instant first = worker.lastCycleCompletedAt();
        WebhookReceiver.await(() -> worker.lastCycleCompletedAt().isAfter(first), wait, () -> "no second worker cycle");
    }
}
