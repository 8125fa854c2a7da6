package io.tidings.api.internal;

import java.sql.SQLException;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.tidings.api.ApiError;
import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;

/**
 * Reads {@code Authorization: Bearer <key>} into the {@link Caller} and enforces
 * {@link RequiresTenant} and {@link RequiresAdmin}, on Tidings' own endpoints only: a host
 * application's bearer tokens on its own endpoints are its own business. A request without the header goes on as an
 * anonymous caller where the endpoint allows it; a key that is not valid is refused with 401.
 */
public class CallerFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    Caller caller;
    @Inject
    KeyHashAuthenticator authenticator;

    // After matching, before the body is read or validated: a request without the credential an
    // endpoint needs learns nothing about what else is wrong with it.
    @ServerRequestFilter
    @TidingsEndpoint
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) throws SQLException {
        Optional<Response> refused = readKey(request);
        if (refused.isPresent()) {
            return refused;
        }
        try {
            if (requires(resource, RequiresAdmin.class)) {
                caller.requireAdmin();
            } else if (requires(resource, RequiresTenant.class)) {
                caller.requireTenant();
            }
            return Optional.empty();
        } catch (ApiException e) {
            Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                    .entity(ApiError.of(e.status().getStatusCode(), e.getMessage(), null));
            if (e.status() == Response.Status.UNAUTHORIZED) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            }
            return Optional.of(response.build());
        }
    }

    private static boolean requires(ResourceInfo resource, Class<? extends java.lang.annotation.Annotation> annotation) {
        return resource != null && resource.getResourceMethod() != null
                && (resource.getResourceMethod().isAnnotationPresent(annotation)
                        || resource.getResourceClass().isAnnotationPresent(annotation));
    }

    private Optional<Response> readKey(ContainerRequestContext request) throws SQLException {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Optional.empty();
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse();
        }
        return authenticator.authenticate(header.substring(BEARER.length()).trim()) ? Optional.empty() : refuse();
    }

    // The same answer for every bad key: nothing about why it is not valid.
    private static Optional<Response> refuse() {
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of(401, "The API key is not valid", null))
                .build());
    }
}
