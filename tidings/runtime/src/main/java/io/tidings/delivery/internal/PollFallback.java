package io.tidings.delivery.internal;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.scheduler.Scheduled;

/**
 * Wakes the worker every {@code tidings.worker.poll-interval}, so that a lost notification, a
 * broken LISTEN connection or a retry that falls due only delays delivery.
 */
@Singleton
public class PollFallback {

    @Inject
    DeliveryWorker worker;

    @Scheduled(every = "${tidings.worker.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (worker.isRunning()) {
            worker.poll();
        }
    }
}
