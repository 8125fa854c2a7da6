package io.tidings.api;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Bounds how many requests to the endpoints anyone may call without a credential (the analytics
 * relay, the example API, {@code /collected}) are in progress at once, on each instance. They share
 * the connection pool with the delivery worker and the management API: a flood of them is answered
 * 503 beyond {@code tidings.api.public-concurrency}, at once and without queueing, and never holds
 * more connections than that.
 */
@Singleton
public class PublicEndpointLimit {

    static final String PATHS = "^/(api/analytics|api/projects|api/jobs|api/runs|collected)(/.*)?$";
    private final Semaphore permits;

    @Inject
    public PublicEndpointLimit(ApiConfig config) {
        this.permits = new Semaphore(config.publicConcurrency());
    }

    void install(@Observes Router router) {
        router.routeWithRegex(PATHS).order(-200).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (!permits.tryAcquire()) {
            context.response().setStatusCode(503).putHeader(HttpHeaders.RETRY_AFTER, "1")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"status\":503,\"error\":\"Too many requests to public endpoints at once; try again in a second\"}");
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
        context.addEndHandler(done -> release.run());
        context.response().closeHandler(closed -> release.run());
        context.next();
    }
}
