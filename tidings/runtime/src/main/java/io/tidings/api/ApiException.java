package io.tidings.api;

import jakarta.ws.rs.core.Response.Status;

import io.tidings.PublicApi;

/** A request the API refuses, with the status and a message that says what to change. */
@PublicApi
public class ApiException extends RuntimeException {

    private final Status status;
    private final String field;

    public ApiException(Status status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(Status.BAD_REQUEST, field, message);
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(Status.NOT_FOUND, null, "No " + what + " with id " + id);
    }

    public static ApiException conflict(String field, String message) {
        return new ApiException(Status.CONFLICT, field, message);
    }

    public static ApiException tooManyRequests(String message) {
        return new ApiException(Status.TOO_MANY_REQUESTS, null, message);
    }

    public Status status() {
        return status;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
