package io.tidings.api.internal;

import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationExceptionMapper;
import io.quarkus.resteasy.reactive.jackson.runtime.mappers.BuiltinMismatchedInputExceptionMapper;

import io.tidings.api.ApiError;
import io.tidings.api.ApiException;

/**
 * Turns every request to Tidings' endpoints that is refused into a JSON {@link ApiError} naming the
 * field at fault. A host application's own endpoints get what Quarkus answers by default.
 */
public class ApiExceptionMappers {

    @Inject
    TidingsEndpoints endpoints;

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return respond(ApiError.of(e.status().getStatusCode(), e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, SimpleResourceInfo resource, UriInfo uri) {
        if (!ours(resource, uri)) {
            return new ResteasyReactiveViolationExceptionMapper().toResponse(e);
        }
        return respond(errorOf(e));
    }

    /** A 400 naming every field a validation refused, as Tidings' endpoints answer it. */
    public static ApiError errorOf(ConstraintViolationException e) {
        List<ApiError.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new ApiError.Violation(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(ApiError.Violation::field))
                .toList();
        String first = violations.isEmpty() ? null : violations.get(0).field();
        String message = violations.isEmpty() ? "invalid request"
                : violations.stream().map(v -> v.field() + " " + v.message()).reduce((a, b) -> a + "; " + b).orElseThrow();
        return new ApiError(400, message, first, violations);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, SimpleResourceInfo resource, UriInfo uri) {
        if (!ours(resource, uri)) {
            return e instanceof MismatchedInputException mismatched
                    ? new BuiltinMismatchedInputExceptionMapper().toResponse(mismatched)
                    : Response.status(Response.Status.BAD_REQUEST).build();
        }
        return malformedJson(e);
    }

    private static Response malformedJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? pathOf(mapping) : null;
        String message = field == null ? "The request body is not valid JSON: " + e.getOriginalMessage()
                : e instanceof PlainTextStrings.ControlCharacter ? "The field '" + field + "' " + e.getOriginalMessage()
                : "The field '" + field + "' has the wrong type or format";
        return respond(ApiError.of(400, message, field));
    }

    // Quarkus has a built-in mapper for this subtype that answers with an empty body.
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, SimpleResourceInfo resource, UriInfo uri) {
        return malformedJson(e, resource, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, SimpleResourceInfo resource, UriInfo uri) {
        if (!ours(resource, uri)) {
            return e.getResponse();
        }
        // Quarkus REST wraps Jackson's own error, which says where the body went wrong.
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response response = e.getResponse();
        if (response.hasEntity()) {
            return response;
        }
        String message = e.getMessage() == null ? response.getStatusInfo().getReasonPhrase() : e.getMessage();
        return respond(ApiError.of(response.getStatus(), message, null));
    }

    // Before a resource matched (no such path, no such method), the path says whose it would have been.
    private boolean ours(SimpleResourceInfo resource, UriInfo uri) {
        return resource != null && resource.getResourceClass() != null ? TidingsEndpoints.isOne(resource.getResourceClass())
                : endpoints.cover("/" + uri.getPath().replaceFirst("^/", ""));
    }

    private static Response respond(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error).build();
    }

    // "create.request.name" names the method and parameter too; the caller only knows "name".
    private static String fieldOf(ConstraintViolation<?> violation) {
        String leaf = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == jakarta.validation.ElementKind.PROPERTY
                    || node.getKind() == jakarta.validation.ElementKind.PARAMETER) {
                leaf = node.getName();
            }
        }
        return leaf == null ? violation.getPropertyPath().toString() : leaf;
    }

    private static String pathOf(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .reduce((a, b) -> a + "." + b).orElse(null);
        return path == null || path.isEmpty() ? null : path;
    }
}
