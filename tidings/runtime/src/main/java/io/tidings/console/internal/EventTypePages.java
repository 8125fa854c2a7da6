package io.tidings.console.internal;

import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.properties.IfBuildProperty;
import io.tidings.analytics.internal.EventSchemas.Kind;
import io.tidings.analytics.internal.EventTypeResource;
import io.tidings.analytics.internal.EventTypeResource.EventTypeView;
import io.tidings.analytics.internal.SchemaResource;
import io.tidings.outbox.internal.EventTypeRegistry;

/**
 * The event catalog of a tenant's console: each type it may subscribe to, the versions a webhook may
 * pin (the deprecated ones marked), its schema and an example of what a webhook receives.
 */
@ConsolePage
@IfBuildProperty(name = "tidings.console.enabled", stringValue = "true", enableIfMissing = true)
@Path("/console/event-types")
@Produces(MediaType.TEXT_HTML)
public class EventTypePages {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A type as the catalog shows it: with an example payload, pretty-printed; null without the schema catalog. */
    record CatalogEntry(EventTypeView type, String example) {
    }

    @Inject
    EventTypeResource api;
    @Inject
    EventTypeRegistry registry;
    @Inject
    Instance<SchemaResource> catalog; // absent when the application leaves the schema catalog out
    @Inject
    Pages pages;

    @GET
    public Response list() throws Exception {
        return pages.guarded(() -> Pages.html(Views.eventTypes(pages.frame(null), entries())));
    }

    private List<CatalogEntry> entries() {
        return api.list().stream().map(type -> new CatalogEntry(type, example(type.name()))).toList();
    }

    private String example(String type) {
        if (!catalog.isResolvable()) {
            return null;
        }
        return catalog.get().example(registry.require(type), Kind.NOTIFICATION).map(EventTypePages::pretty).orElse(null);
    }

    private static String pretty(Object json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
