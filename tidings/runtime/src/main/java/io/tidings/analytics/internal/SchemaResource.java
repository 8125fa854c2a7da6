package io.tidings.analytics.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.arc.properties.IfBuildProperty;
import io.tidings.analytics.internal.EventSchemas.Kind;
import io.tidings.api.ApiException;
import io.tidings.api.PublicEndpoint;
import io.tidings.api.TidingsEndpoint;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;

/**
 * Every schema of the registered types, served at the path of its {@code $id}
 * ({@code https://schemas.tidings.io/project/created/v1/notification.json} is
 * {@code /schemas/project/created/v1/notification.json} here), with its shared layers inlined so that
 * it stands alone, and beside it an example payload made from it ({@code notification.example.json}):
 * what a subscriber of the type receives. Part of the catalog {@code /collected} belongs to, and
 * left out with it.
 */
@TidingsEndpoint
@PublicEndpoint
@IfBuildProperty(name = AnalyticsBuildConfig.COLLECTED_PAGE_ENABLED, stringValue = "true", enableIfMissing = true)
@Path("/schemas")
public class SchemaResource {

    static final String PREFIX = "/schemas";
    private static final String EXAMPLE = ".example.json";

    @Inject
    EventTypeRegistry types;
    @Inject
    EventSchemas schemas;

    private volatile Map<String, JsonNode> byPath;

    @GET
    @Path("{path: .+\\.json}")
    @Produces({ "application/schema+json", MediaType.APPLICATION_JSON })
    public JsonNode schemaOrExample(@PathParam("path") String path) {
        if (path.endsWith(EXAMPLE)) {
            return SchemaExamples.example(schema(path.substring(0, path.length() - EXAMPLE.length()) + ".json"));
        }
        return schema(path);
    }

    /** An example payload of the type, at its version, made from its schema of this kind; empty when it has none. */
    public Optional<JsonNode> example(EventType type, Kind kind) {
        return schemas.document(type, kind).map(SchemaExamples::example);
    }

    /** Where a type's schema of this kind, at the type's version, is served: the path of its {@code $id}. */
    public Optional<String> url(EventType type, Kind kind) {
        return schemas.document(type, kind).map(document -> PREFIX + idPath(document));
    }

    private JsonNode schema(String path) {
        JsonNode schema = documents().get("/" + path);
        if (schema == null) {
            throw ApiException.notFound("schema", "/schemas/" + path);
        }
        return schema;
    }

    // The registry's types cannot change while the application runs: read once.
    private Map<String, JsonNode> documents() {
        Map<String, JsonNode> documents = byPath;
        if (documents == null) {
            documents = new LinkedHashMap<>();
            for (EventType type : types.all()) {
                // every version whose files are kept: what was recorded at an older one still leaves labelled with it
                for (int version = 1; version <= type.schemaVersion(); version++) {
                    add(documents, type.atVersion(version), Kind.NOTIFICATION);
                    add(documents, type.atVersion(version), Kind.TELEMETRY);
                }
            }
            byPath = documents;
        }
        return documents;
    }

    private void add(Map<String, JsonNode> documents, EventType type, Kind kind) {
        schemas.document(type, kind).ifPresent(document -> documents.put(idPath(document), document));
    }

    // The path of its $id, which it is served at under /schemas.
    private static String idPath(JsonNode document) {
        return URI.create(document.path("$id").asText()).getPath();
    }

    /** Where the example beside a schema served at {@code url} is. */
    static String exampleUrl(String url) {
        return url.substring(0, url.length() - ".json".length()) + EXAMPLE;
    }
}
