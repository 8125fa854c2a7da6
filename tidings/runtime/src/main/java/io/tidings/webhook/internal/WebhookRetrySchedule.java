package io.tidings.webhook.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tidings.api.ApiException;

/**
 * A webhook's own retry schedule, as the API takes and shows it ({@code ["30s", "5m", "1h"]}): the
 * waits between its attempts, each within the bounds the operator sets
 * ({@code tidings.webhooks.retry-step-min}, {@code -max}, {@code retry-steps-max}).
 */
final class WebhookRetrySchedule {

    private static final Pattern STEP = Pattern.compile("([1-9][0-9]{0,6})([smhd])");

    private WebhookRetrySchedule() {
    }

    /** @throws ApiException a 400 naming the step ({@code retrySchedule[i]}) that is malformed or out of bounds */
    static List<Duration> parse(List<String> steps, WebhookConfig bounds) {
        if (steps.size() > bounds.retryStepsMax()) {
            throw ApiException.badRequest("retrySchedule", "at most " + bounds.retryStepsMax() + " retries");
        }
        List<Duration> schedule = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String field = "retrySchedule[" + i + "]";
            Matcher step = STEP.matcher(steps.get(i) == null ? "" : steps.get(i).trim().toLowerCase(Locale.ROOT));
            if (!step.matches()) {
                throw ApiException.badRequest(field, "a wait is a number and a unit: 30s, 5m, 2h or 1d");
            }
            Duration wait = Duration.ofSeconds(Long.parseLong(step.group(1)) * seconds(step.group(2)));
            if (wait.compareTo(bounds.retryStepMin()) < 0 || wait.compareTo(bounds.retryStepMax()) > 0) {
                throw ApiException.badRequest(field, "a wait is between " + show(bounds.retryStepMin()) + " and "
                        + show(bounds.retryStepMax()) + " on this installation");
            }
            schedule.add(wait);
        }
        return schedule;
    }

    /** The wait as the API shows it: in the largest unit that divides it. */
    static String show(Duration wait) {
        long seconds = wait.getSeconds();
        for (String unit : List.of("d", "h", "m")) {
            long size = seconds(unit);
            if (seconds % size == 0) {
                return seconds / size + unit;
            }
        }
        return seconds + "s";
    }

    private static long seconds(String unit) {
        return switch (unit) {
            case "d" -> 86_400;
            case "h" -> 3_600;
            case "m" -> 60;
            default -> 1;
        };
    }
}
