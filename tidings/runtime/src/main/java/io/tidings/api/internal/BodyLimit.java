package io.tidings.api.internal;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request to one of Tidings' endpoints whose declared body is over {@code tidings.api.max-body} with 413 and the JSON
 * error body, before anything reads it (Quarkus' own limit answers with an empty body). A chunked
 * body without a length still meets Quarkus' limit.
 */
@Singleton
public class BodyLimit {

    private final long maxBytes;

    public BodyLimit(@ConfigProperty(name = "tidings.api.max-body", defaultValue = "256K") MemorySize maxBody) {
        this.maxBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router, TidingsEndpoints endpoints) {
        endpoints.roots().forEach(root -> router.route(root + "*").order(-300).handler(this::handle));
    }

    private void handle(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredOver(length)) {
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end("{\"status\":413,\"error\":\"The request body is larger than tidings.api.max-body (" + maxBytes + " bytes)\"}");
            return;
        }
        context.next();
    }

    private boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses it
        }
    }
}
