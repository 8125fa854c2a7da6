package io.tidings.example;

import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.tidings.api.ApiError;

/** Answers 404 on the example API's paths when {@code tidings.example.enabled} is off. */
public class ExampleSwitch {

    // Looked up at the first request: the filter itself is made while the application starts,
    // before the runtime configuration is there.
    @Inject
    Instance<ExampleConfig> config;

    @ServerRequestFilter
    @ExampleEndpoint
    public Optional<Response> refuseWhenOff() {
        if (config.get().enabled()) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of(404, "The example API is off (tidings.example.enabled)", null)).build());
    }
}
