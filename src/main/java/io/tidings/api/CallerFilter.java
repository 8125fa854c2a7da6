package io.tidings.api;

import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Reads {@code Authorization: Bearer <key>} into the {@link Caller}. A request without the header
 * goes on as an anonymous caller, and the resource decides whether that is enough; a header with
 * a key that is not valid is refused here with 401.
 */
public class CallerFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    Caller caller;
    @Inject
    ApiKeys keys;
    @Inject
    ApiConfig config;

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) throws SQLException {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Optional.empty();
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse();
        }
        String key = header.substring(BEARER.length()).trim();
        if (config.adminKey().filter(admin -> ApiKeys.sameKey(key, admin)).isPresent()) {
            caller.authenticateAdmin();
            return Optional.empty();
        }
        Optional<UUID> tenant = keys.tenantOf(key);
        if (tenant.isEmpty()) {
            return refuse();
        }
        caller.authenticateTenant(tenant.get());
        return Optional.empty();
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
