package io.tidings.analytics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.properties.IfBuildProperty;
import io.tidings.api.ApiError;
import io.tidings.api.ApiException;
import io.tidings.api.PublicEndpoint;
import io.tidings.api.TidingsEndpoint;
import io.tidings.outbox.IdempotencyKeyReused;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.vertx.core.http.HttpServerRequest;

/**
 * The front-end relay: browser code sends {@code {"event", "properties"}} (or an array of up to
 * 50) and the events ride the same outbox as any other. Only types marked client-allowed are
 * accepted, their properties must match the schema, and each client address may send
 * {@code tidings.analytics.relay-per-minute} events a minute. A request may carry an
 * {@code Idempotency-Key} (a beacon, which cannot set headers: {@code ?idempotency_key=}): the
 * same batch sent again under it, as a retry after a lost answer is, records nothing more.
 */
@TidingsEndpoint
@PublicEndpoint
@IfBuildProperty(name = AnalyticsBuildConfig.RELAY_ENABLED, stringValue = "true", enableIfMissing = true)
@Path("/api/analytics")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RelayResource {

    private static final int MOST_PER_REQUEST = 50;
    private static final String KEY_HEADER = "Idempotency-Key";
    private static final int LONGEST_KEY = 200; // each event takes the key and its place in the batch
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventTypeRegistry types;
    @Inject
    Outbox outbox;
    @Inject
    RelayRateLimit rateLimit;
    @Inject
    HttpServerRequest request;
    @Inject
    AnalyticsConfig config;

    /** What tidings.js asks before it sends anything. */
    public record RelayConfig(boolean consentRequired, boolean honorDoNotTrack, int maxBatch) {
    }

    @GET
    @Path("config")
    public RelayConfig config() {
        return new RelayConfig(config.consentRequired(), config.honorDoNotTrack(), MOST_PER_REQUEST);
    }

    /**
     * The same, as {@code navigator.sendBeacon} sends it when a page is hidden: the JSON in a
     * {@code text/plain} body, which needs no CORS preflight (a beacon cannot make one).
     */
    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    @Transactional
    @APIResponse(responseCode = "429", description = "This client sent more than tidings.analytics.relay-per-minute events this minute")
    @APIResponse(responseCode = "409", description = "The idempotency_key was used for a different batch")
    @APIResponse(responseCode = "202", description = "Accepted: recorded as events", content = @Content(schema = @Schema(
            type = SchemaType.OBJECT, requiredProperties = "accepted",
            properties = @SchemaProperty(name = "accepted", type = SchemaType.INTEGER))))
    public Response beacon(String body, @QueryParam("idempotency_key") String key) {
        try {
            return relay(JSON.readTree(body), key);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("event", "The body is not JSON: " + e.getOriginalMessage());
        }
    }

    @POST
    @Transactional
    @APIResponse(responseCode = "429", description = "This client sent more than tidings.analytics.relay-per-minute events this minute")
    @APIResponse(responseCode = "202", description = "Accepted: recorded as events", content = @Content(schema = @Schema(
            type = SchemaType.OBJECT, requiredProperties = "accepted",
            properties = @SchemaProperty(name = "accepted", type = SchemaType.INTEGER))))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used for a different batch")
    public Response relay(JsonNode body, @HeaderParam(KEY_HEADER) String key) {
        List<ClientEvent> events = parse(body);
        if (key != null && (key.isBlank() || key.length() > LONGEST_KEY)) {
            throw ApiException.badRequest(KEY_HEADER, KEY_HEADER + " must be 1 to " + LONGEST_KEY + " characters");
        }
        if (!rateLimit.take(clientAddress(), events.size())) {
            return Response.status(429).type(MediaType.APPLICATION_JSON).header("Retry-After", "60")
                    .entity(ApiError.of(429, "Too many events from this address; try again in a minute", null)).build();
        }
        try {
            record(events, key);
        } catch (IdempotencyKeyReused reused) {
            throw ApiException.conflict(KEY_HEADER, KEY_HEADER + " '" + key + "' was already used for a different batch");
        } catch (IllegalArgumentException invalid) {
            throw ApiException.badRequest("properties", invalid.getMessage());
        }
        return Response.accepted(Map.of("accepted", events.size())).build();
    }

    // Each event of a keyed batch under the key and its place in the batch: a batch sent again records nothing new.
    private void record(List<ClientEvent> events, String key) {
        if (key == null) {
            outbox.registerEvents(events);
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            outbox.registerEvent(events.get(i), key + "#" + i);
        }
    }

    // The connection's address, or what a trusted proxy forwarded: Quarkus has put it there already.
    private InetAddress clientAddress() {
        try {
            return InetAddress.getByName(request.remoteAddress().hostAddress()); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a connection's address is a literal", e);
        }
    }

    private List<ClientEvent> parse(JsonNode body) {
        if (body == null || !(body.isObject() || body.isArray())) {
            throw ApiException.badRequest("event", "Send {\"event\": ..., \"properties\": {...}} or an array of them");
        }
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else {
            items.add(body);
        }
        if (items.isEmpty() || items.size() > MOST_PER_REQUEST) {
            throw ApiException.badRequest("event", "Send between 1 and " + MOST_PER_REQUEST + " events at once");
        }
        return items.stream().map(this::event).toList();
    }

    private ClientEvent event(JsonNode item) {
        String name = item.path("event").asText("");
        Optional<EventType> type = types.find(name).filter(EventType::clientAllowed);
        if (type.isEmpty()) {
            throw ApiException.badRequest("event", "'" + name + "' is not an event type browser code may send; "
                    + "GET /api/event-types marks the ones that are clientAllowed");
        }
        JsonNode properties = item.path("properties");
        if (!properties.isObject()) {
            throw ApiException.badRequest("properties", "properties must be a JSON object");
        }
        return new ClientEvent(name, (ObjectNode) properties);
    }
}
