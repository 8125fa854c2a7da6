package io.tidings.delivery.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidings.delivery.AttemptResult;

/**
 * Decides what follows an attempt: delivered, another attempt later, or dead. The schedule lists
 * the waits between attempts; a delivery gets {@code schedule.size() + 1} attempts in all.
 */
public record RetryPolicy(List<Duration> schedule, double jitter, Duration maxRetryAfter) {

    /** Where a subscriber's settings hold a schedule of its own, in seconds. */
    public static final String TARGET_SCHEDULE = "retrySchedule";

    public RetryPolicy {
        schedule = List.copyOf(schedule);
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("tidings.delivery.retry-jitter must be at least 0 and below 1, was " + jitter);
        }
    }

    public static RetryPolicy from(DeliveryConfig config) {
        return new RetryPolicy(config.retrySchedule(), config.retryJitter(), config.maxRetryAfter());
    }

    /**
     * The policy for one subscriber: its own schedule where its settings carry one
     * ({@code "retrySchedule": [seconds, ...]}, as a webhook's may, within the operator's bounds), else this.
     */
    public RetryPolicy forTarget(JsonNode target) {
        List<Duration> own = scheduleIn(target);
        return own.isEmpty() ? this : new RetryPolicy(own, jitter, maxRetryAfter);
    }

    /** The schedule a subscriber's settings carry; empty when they carry none. */
    public static List<Duration> scheduleIn(JsonNode target) {
        List<Duration> steps = new ArrayList<>();
        target.path(TARGET_SCHEDULE).forEach(step -> steps.add(Duration.ofSeconds(step.asLong())));
        return steps;
    }

    /** What follows the {@code attempt}-th attempt (1 for the first) that came to {@code result}. */
    public Decision decide(int attempt, AttemptResult result, Instant now, RandomGenerator random) {
        switch (result.outcome()) {
            case DELIVERED -> {
                return new Decision(DeliveryStatus.DELIVERED, now, null);
            }
            case GONE -> {
                return new Decision(DeliveryStatus.DEAD, now, "refused for good by the receiver: " + result.describe());
            }
            case FAILED -> {
                // retried below, unless it was the last attempt
            }
        }
        if (attempt > schedule.size()) {
            return new Decision(DeliveryStatus.DEAD, now, "gave up after " + attempt + " attempts; the last: " + result.describe());
        }
        Duration wait = result.retryAfter() != null ? min(result.retryAfter(), maxRetryAfter) : jittered(schedule.get(attempt - 1), random);
        return new Decision(DeliveryStatus.PENDING, now.plus(wait), result.describe());
    }

    private Duration jittered(Duration step, RandomGenerator random) {
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofNanos((long) (step.toNanos() * factor));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * @param status        DELIVERED, PENDING (to be retried at {@code nextAttemptAt}) or DEAD
     * @param nextAttemptAt when the next attempt is due; for DELIVERED and DEAD, the time of the decision
     * @param error         why the attempt failed, or null
     */
    public record Decision(DeliveryStatus status, Instant nextAttemptAt, String error) {
    }
}
