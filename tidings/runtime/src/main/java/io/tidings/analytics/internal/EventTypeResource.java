package io.tidings.analytics.internal;

import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.tidings.analytics.internal.EventSchemas.Kind;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;
import io.tidings.api.internal.RequiresTenant;
import io.tidings.outbox.internal.EventType;
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
    @Inject
    Instance<SchemaResource> catalog; // absent when the application leaves the catalog out

    /**
     * @param versions           every version a webhook may pin ({@code name@version}), the current one last
     * @param deprecatedVersions those of them about to stop being rendered
     * @param schema             where its current notification schema is served, its example beside it
     *                           ({@code .example.json}); null when the application leaves the catalog out
     * @param telemetrySchema    the same for its telemetry schema; null when it has none
     * @param telemetry          the fields that leave as telemetry, exactly; empty when the type is not exported
     */
    public record EventTypeView(String name, String description, int schemaVersion, List<Integer> versions,
            List<Integer> deprecatedVersions, @Schema(nullable = true) String schema, @Schema(nullable = true) String telemetrySchema,
            boolean telemetryAllowed, boolean clientAllowed, List<CollectedFields.Field> telemetry) {
    }

    @GET
    public List<EventTypeView> list() {
        caller.requireTenant();
        return registry.all().stream()
                .map(type -> new EventTypeView(type.name(), type.description(), type.schemaVersion(), type.versions(),
                        type.deprecated(), servedAt(type, Kind.NOTIFICATION), servedAt(type, Kind.TELEMETRY),
                        type.telemetryAllowed(), type.clientAllowed(), collected.of(type)))
                .toList();
    }

    private String servedAt(EventType type, Kind kind) {
        return catalog.isResolvable() ? catalog.get().url(type, kind).orElse(null) : null;
    }
}
