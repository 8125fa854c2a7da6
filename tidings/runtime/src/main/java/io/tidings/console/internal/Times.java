package io.tidings.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import io.quarkus.qute.TemplateExtension;

/**
 * Times as the console shows them: how long ago ({@code 3 min ago}), with the exact time, to the
 * second and in UTC, for the hover and the {@code datetime} attribute.
 */
@TemplateExtension
final class Times {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** {@code 2026-12-05 20:23:05 UTC}. */
    static String exact(Instant at) {
        return EXACT.format(at.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code just now}, {@code 42 s ago}, {@code 3 min ago}, {@code 5 h ago}, {@code 2 days ago}; {@code in 3 min} ahead. */
    static String ago(Instant at) {
        Duration between = Duration.between(at, Instant.now());
        boolean ahead = between.isNegative();
        long seconds = between.abs().getSeconds();
        if (seconds < 5) {
            return "just now";
        }
        String span = seconds < 60 ? seconds + " s"
                : seconds < 3600 ? seconds / 60 + " min"
                : seconds < 86_400 ? seconds / 3600 + " h"
                : seconds / 86_400 + (seconds < 2 * 86_400 ? " day" : " days");
        return ahead ? "in " + span : span + " ago";
    }
}
