package io.tidings.sink.internal;

import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.hibernate.Session;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;
import io.tidings.api.internal.RequiresAdmin;
import io.tidings.delivery.DeliverySender;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.outbox.internal.Ids;
import io.tidings.outbox.internal.Subscriber;
import io.tidings.outbox.internal.Subscribers;
import io.tidings.outbox.internal.TypePattern;
import io.tidings.secrets.internal.WebhookSecrets;
import io.tidings.stream.StreamSender;
import io.tidings.stream.internal.StreamCursors;

/**
 * Sinks: subscribers of any kind but webhooks (a file directory, a Kafka topic, another analytics
 * endpoint), owned by the operator, for one tenant's events or for every tenant's. A kind whose
 * sender is a {@link StreamSender} is a stream: it gets a cursor, which this resource starts and
 * moves, instead of a delivery per event. The admin key only.
 */
@TidingsEndpoint
@RequiresAdmin
@Path("/api/sinks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SinkResource {

    @Inject
    Caller caller;
    @Inject
    EntityManager entityManager;
    @Inject
    Subscribers subscribers;
    @Inject
    EventTypeRegistry eventTypes;
    @Inject
    WebhookSecrets secrets;
    @Inject
    Instance<DeliverySender> senders;
    @Inject
    Clock clock;
    @Inject
    StreamCursors cursors;

    private static final String STREAM = "stream";

    /**
     * @param tenantId whose events it takes; every tenant's when absent
     * @param payload  {@code notification} (the default) or {@code telemetry}
     * @param secret   a credential its kind needs (a broker's password): sealed, never shown again
     * @param start    for a stream: {@code now} (the default), {@code beginning} (the oldest event
     *                 retention kept) or a time (ISO-8601) from which to read
     */
    public record CreateSink(@NotBlank @Size(max = 200) String name, @NotBlank String kind, @NotNull ObjectNode target,
            @NotNull @Size(min = 1, max = 100) List<@NotBlank String> eventTypes,
            @Pattern(regexp = "notification|telemetry", message = "must be notification or telemetry") String payload,
            UUID tenantId, Boolean ordered, @Size(max = 4000) String secret, @Size(max = 40) String start) {
    }

    public record UpdateSink(Boolean enabled) {
    }

    /** Where a stream reads from again: {@code now}, {@code beginning}, or a time (ISO-8601). */
    public record Reposition(@NotBlank @Size(max = 40) String start) {
    }

    /**
     * @param shape  {@code stream} (reads the events as a log, in commit order) or {@code delivery} (a row per event)
     * @param stream where a stream is and how its sink fares; null for deliveries
     */
    public record SinkView(UUID id, @Schema(nullable = true) String name, String kind, String shape,
            @Schema(nullable = true) UUID tenantId, String payload, boolean ordered, boolean enabled, ObjectNode target,
            List<String> eventTypes, Instant createdAt, @Schema(nullable = true) StreamView stream) {
    }

    /**
     * @param sentUpTo      every event committed before this time has been sent
     * @param behindSince   when it fell further behind than {@code tidings.streams.max-lag}, or null
     * @param nextAttemptAt when a failing sink is tried again, or null
     */
    public record StreamView(@Schema(nullable = true) Instant sentUpTo, long sent, int failures,
            @Schema(nullable = true) String lastError, @Schema(nullable = true) Instant nextAttemptAt,
            @Schema(nullable = true) Instant behindSince, @Schema(nullable = true) String reader) {
    }

    @POST
    @Transactional
    @APIResponse(responseCode = "201", description = "The sink", content = @Content(schema = @Schema(implementation = SinkView.class)))
    public Response create(@Valid @NotNull CreateSink body) {
        caller.requireAdmin();
        DeliverySender sender = sender(body.kind());
        String payload = body.payload() == null ? "notification" : body.payload();
        ObjectNode target = body.target().deepCopy();
        target.put(SinkRecords.RECORD, payload.equals("telemetry") ? SinkRecords.CAPSULE : SinkRecords.MESSAGE);
        try {
            sender.checkTarget(target);
        } catch (DeliverySender.InvalidTarget e) {
            throw ApiException.badRequest("target." + e.setting(), e.getMessage());
        }
        Set<TypePattern> patterns = patterns(body.eventTypes());
        boolean stream = sender instanceof StreamSender;
        StreamCursors.Start start = start(body.start(), stream);
        UUID id = Ids.newId(clock.instant());
        subscribers.add(new Subscribers.NewSink(id, body.kind(), body.name(), body.tenantId(), payload,
                !stream && (sender.alwaysOrdered() || Boolean.TRUE.equals(body.ordered())), target.toString(),
                body.secret() == null ? null : secrets.seal(body.secret()), stream,
                patterns.stream().map(TypePattern::value).toList()));
        if (stream) {
            startStream(id, start);
        }
        return Response.created(URI.create("/api/sinks/" + id)).entity(find(id)).build();
    }

    @GET
    public List<SinkView> list() {
        caller.requireAdmin();
        return views(subscribers.sinks());
    }

    @GET
    @Path("{id}")
    public SinkView get(@PathParam("id") UUID id) {
        caller.requireAdmin();
        return find(id);
    }

    /** {@code enabled: false} parks its queue, or pauses its stream where it is; {@code true} resumes it. */
    @PATCH
    @Path("{id}")
    @Transactional
    public SinkView update(@PathParam("id") UUID id, @Valid @NotNull UpdateSink body) {
        caller.requireAdmin();
        find(id);
        if (body.enabled() != null) {
            subscribers.setEnabled(id, body.enabled());
            announceStreamsChanged();
        }
        return find(id);
    }

    /**
     * Starts a stream again from {@code now}, the {@code beginning} of what retention kept, or a
     * time: events it sent after that point go again, events it had not reached are skipped. Its
     * reader, in whatever instance, stops and another starts from there; a stream marked behind is
     * no longer.
     */
    @POST
    @Path("{id}/position")
    @Transactional
    public SinkView reposition(@PathParam("id") UUID id, @Valid @NotNull Reposition body) {
        caller.requireAdmin();
        SinkView sink = find(id);
        if (!sink.shape().equals(STREAM)) {
            throw ApiException.badRequest("start", "only a stream has a position; a " + sink.kind() + " sink keeps a delivery per event");
        }
        startStream(id, start(body.start(), true));
        return find(id);
    }

    /** Deletes the sink with its deliveries. */
    @DELETE
    @Path("{id}")
    @Transactional
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") UUID id) {
        caller.requireAdmin();
        find(id);
        subscribers.delete(id);
        announceStreamsChanged();
        return Response.noContent().build();
    }

    private void startStream(UUID id, StreamCursors.Start start) {
        entityManager.unwrap(Session.class).doWork(connection -> cursors.start(connection, id, start));
    }

    // Stream readers of every instance start or stop at the commit, not at their next poll.
    private void announceStreamsChanged() {
        entityManager.unwrap(Session.class).doWork(cursors::announce);
    }

    private static StreamCursors.Start start(String value, boolean stream) {
        if (value == null || value.equals("now")) {
            return StreamCursors.Start.now();
        }
        if (!stream) {
            throw ApiException.badRequest("start", "only a stream has a start; this kind keeps a delivery per event");
        }
        if (value.equals("beginning")) {
            return StreamCursors.Start.beginning();
        }
        try {
            return StreamCursors.Start.at(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("start", "start must be now, beginning or a time such as 2026-01-31T12:00:00Z");
        }
    }

    private DeliverySender sender(String kind) {
        if (kind.equals("webhook")) {
            throw ApiException.badRequest("kind", "webhooks belong to tenants: POST /api/webhooks with a tenant's key");
        }
        return senders.stream().filter(sender -> sender.kind().equals(kind)).findFirst()
                .orElseThrow(() -> ApiException.badRequest("kind", "no sender for kind '" + kind + "'; kinds: "
                        + senders.stream().map(DeliverySender::kind).filter(k -> !k.equals("webhook")).sorted()
                                .collect(Collectors.joining(", "))));
    }

    private Set<TypePattern> patterns(List<String> values) {
        try {
            return TypePattern.coveringSome(values, eventTypes.all());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("eventTypes", e.getMessage());
        }
    }

    private SinkView find(UUID id) {
        return views(subscribers.sink(id)).stream().findFirst().orElseThrow(() -> ApiException.notFound("sink", id));
    }

    private List<SinkView> views(List<Subscribers.Sink> sinks) {
        Map<UUID, StreamCursors.Status> streams = streams();
        return sinks.stream().map(sink -> new SinkView(sink.id(), sink.description(), sink.kind(),
                sink.stream() ? STREAM : "delivery", sink.tenantId(), sink.payload(), sink.ordered(), sink.enabled(),
                Subscriber.readTarget(sink.target()), sink.patterns(), sink.createdAt(), streamView(streams.get(sink.id())))).toList();
    }

    private Map<UUID, StreamCursors.Status> streams() {
        try {
            return cursors.statuses().stream().collect(Collectors.toMap(StreamCursors.Status::subscriberId, Function.identity()));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the streams' positions", e);
        }
    }

    private static StreamView streamView(StreamCursors.Status status) {
        return status == null ? null : new StreamView(status.doneAt(), status.sent(), status.failures(), status.lastError(),
                status.nextAttemptAt(), status.behindSince(), status.leased() ? status.reader() : null);
    }
}
