package io.tidings.analytics.internal;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the relay alone: pages of {@code tidings.analytics.relay-origins} may post to
 * {@code /api/analytics}; every other origin, and every other path, gets no CORS header from
 * Tidings (a host application's own CORS settings stay its own).
 */
@Singleton
public class RelayCors {

    static final String PATH = "/api/analytics";
    private final List<String> origins;

    @Inject
    public RelayCors(AnalyticsConfig config) {
        this.origins = config.relayOrigins().orElse(List.of());
    }

    void install(@Observes Router router) {
        router.route(PATH).order(-100).handler(this::handle);
        router.route(PATH + "/config").order(-100).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        String origin = context.request().getHeader(HttpHeaders.ORIGIN);
        boolean allowed = origin != null && origins.contains(origin);
        if (allowed) {
            context.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin).putHeader(HttpHeaders.VARY, "Origin");
        }
        boolean preflight = context.request().method() == HttpMethod.OPTIONS
                && context.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
        if (!preflight) {
            context.next();
        } else if (allowed) {
            context.response().setStatusCode(204).putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "content-type, idempotency-key")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600").end();
        } else {
            context.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"status\":403,\"error\":\"This origin may not call the relay (tidings.analytics.relay-origins)\"}");
        }
    }
}
