package io.tidings.api.internal;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import io.tidings.api.ApiException;

/**
 * One page of a list, newest first. {@code next} is the cursor to pass as {@code after} for the
 * following page, null on the last page.
 */
public record Page<T>(List<T> items, String next) {

    /** @param fetched up to {@code limit + 1} items: one more than the page shows tells whether another page follows */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, UUID> id) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> page = fetched.subList(0, limit);
        return new Page<>(List.copyOf(page), id.apply(page.get(limit - 1)).toString());
    }

    public static UUID parseCursor(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, "'" + value + "' is not a cursor: pass the 'next' value of the previous page");
        }
    }
}
