package io.tidings.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.tidings.PublicApi;

/**
 * The body of every error response: what went wrong, and which request field caused it.
 *
 * @param field      the first offending field, or null when the error concerns no single field
 * @param violations every offending field, for validation errors
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PublicApi
public record ApiError(int status, String error, String field, List<Violation> violations) {

    public record Violation(String field, String message) {
    }

    public static ApiError of(int status, String error, String field) {
        return new ApiError(status, error, field, null);
    }
}
