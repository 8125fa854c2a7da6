package io.tidings.api.internal;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vertx.ext.web.RoutingContext;

import io.tidings.api.ApiError;
import io.tidings.api.PublicEndpoint;

/**
 * Bounds how many requests to the endpoints anyone may call without a credential
 * ({@link PublicEndpoint}: the analytics relay, the example API, {@code /collected}) are in
 * progress at once, on each instance. They share the connection pool with the delivery worker and
 * the management API: beyond {@code tidings.api.public-concurrency} they are answered 503 at once,
 * without queueing, and never hold more connections than that. A permit is taken before the body is
 * read and given back when the answer is written or the connection closes, whichever comes first.
 */
@Singleton
public class PublicEndpointLimit {

    private static final String HELD = PublicEndpointLimit.class.getName();

    // Looked up at the first request: the filter is made before the runtime configuration is there.
    @Inject
    Instance<ApiConfig> config;
    private volatile Semaphore permits;

    @ServerRequestFilter
    @PublicEndpoint
    public Optional<Response> acquire(ContainerRequestContext request, RoutingContext routing) {
        if (!permits().tryAcquire()) {
            return Optional.of(Response.status(Response.Status.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                    .type(MediaType.APPLICATION_JSON)
                    .entity(ApiError.of(503, "Too many requests to public endpoints at once; try again in a second", null)).build());
        }
        AtomicBoolean held = new AtomicBoolean(true);
        request.setProperty(HELD, held);
        routing.addEndHandler(ended -> release(held));
        routing.response().closeHandler(closed -> release(held));
        return Optional.empty();
    }

    @ServerResponseFilter
    @PublicEndpoint
    public void release(ContainerRequestContext request) {
        if (request.getProperty(HELD) instanceof AtomicBoolean held) {
            release(held);
        }
    }

    private void release(AtomicBoolean held) {
        if (held.compareAndSet(true, false)) {
            permits().release();
        }
    }

    private Semaphore permits() {
        if (permits == null) {
            synchronized (this) {
                if (permits == null) {
                    permits = new Semaphore(config.get().publicConcurrency());
                }
            }
        }
        return permits;
    }
}
