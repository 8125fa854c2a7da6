package io.tidings.api.internal;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.tidings.api.ApiException;

/**
 * One page of a list, newest first. {@code next} is the cursor to pass as {@code after} for the
 * following page, null on the last page.
 */
public record Page<T>(List<T> items, @Schema(nullable = true) String next) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** @param fetched up to {@code limit + 1} items: one more than the page shows tells whether another page follows */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, UUID> id) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> page = fetched.subList(0, limit);
        return new Page<>(List.copyOf(page), id.apply(page.get(limit - 1)).toString());
    }

    /**
     * The {@code limit} query parameter: 1 to 500, 50 when absent. Taken as text, so that a value
     * that is not a number answers 400 naming the field, not the 404 a failed conversion gives.
     */
    public static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'");
    }

    public static UUID parseCursor(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, "'" + value + "' is not a cursor: pass the 'next' value of the previous page");
        }
    }
}
