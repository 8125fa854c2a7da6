package io.tidings.outbox;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.tidings.api.Caller;

/** The catalog of event types, for choosing what a webhook subscribes to. */
@Path("/api/event-types")
@Produces(MediaType.APPLICATION_JSON)
public class EventTypeResource {

    @Inject
    EventTypeRegistry registry;
    @Inject
    Caller caller;

    public record EventTypeView(String name, String description, int schemaVersion) {
    }

    @GET
    public List<EventTypeView> list() {
        caller.requireTenant();
        return registry.all().stream()
                .map(type -> new EventTypeView(type.name(), type.description(), type.schemaVersion()))
                .toList();
    }
}
