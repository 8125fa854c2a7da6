package io.tidings.analytics.internal;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;
import io.tidings.api.internal.RequiresTenant;
import io.tidings.outbox.internal.EventTypeRegistry;

/** The catalog of event types, for choosing what a webhook subscribes to. */
@TidingsEndpoint
@RequiresTenant
@Path("/api/event-types")
@Produces(MediaType.APPLICATION_JSON)
public class EventTypeResource {

    @Inject
    EventTypeRegistry registry;
    @Inject
    Caller caller;
    @Inject
    CollectedFields collected;

    /**
     * @param versions           every version a webhook may pin ({@code name@version}), the current one last
     * @param deprecatedVersions those of them about to stop being rendered
     * @param telemetry          the fields that leave as telemetry, exactly; empty when the type is not exported
     */
    public record EventTypeView(String name, String description, int schemaVersion, List<Integer> versions,
            List<Integer> deprecatedVersions, boolean telemetryAllowed, boolean clientAllowed, List<CollectedFields.Field> telemetry) {
    }

    @GET
    public List<EventTypeView> list() {
        caller.requireTenant();
        return registry.all().stream()
                .map(type -> new EventTypeView(type.name(), type.description(), type.schemaVersion(), type.versions(),
                        type.deprecated(), type.telemetryAllowed(), type.clientAllowed(), collected.of(type)))
                .toList();
    }
}
