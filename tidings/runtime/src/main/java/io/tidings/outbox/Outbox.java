package io.tidings.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.tidings.PublicApi;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.outbox.internal.IdempotencyKeys;
import io.tidings.outbox.internal.Ids;
import io.tidings.outbox.internal.OutboxConfig;
import io.tidings.outbox.internal.OutboxWriter;
import io.tidings.outbox.internal.PayloadRendering;
import io.tidings.outbox.internal.RenderedEvent;
import io.tidings.outbox.internal.TraceCapture;
import io.tidings.outbox.internal.WorkerWakeUp;

/**
 * Records domain events in the caller's transaction, together with one outbox row per subscriber
 * that wants them. When the transaction commits, the event and its deliveries exist and the workers
 * are woken; when it rolls back, neither exists.
 *
 * <pre>{@code
 * @Transactional
 * public void start(Job job) {
 *     job.status = STARTED;
 *     outbox.registerEvent(new JobEvent("project:job:started", job));
 * }
 * }</pre>
 */
@ApplicationScoped
@PublicApi
public class Outbox {

    private static final Object RECORDED = new Object();

    private final OutboxWriter writer;
    private final TransactionSynchronizationRegistry transactions;
    private final EventTypeRegistry eventTypes;
    private final Clock clock;
    private final MeterRegistry meters;
    private final PayloadRendering rendering;
    private final WorkerWakeUp wakeUp;
    private final OutboxConfig config;
    private final TraceCapture traces;
    private final Map<String, Counter> registered = new ConcurrentHashMap<>();

    @Inject
    Outbox(OutboxWriter writer, TransactionSynchronizationRegistry transactions, EventTypeRegistry eventTypes,
            Clock clock, MeterRegistry meters, PayloadRendering rendering, WorkerWakeUp wakeUp, OutboxConfig config,
            TraceCapture traces) {
        this.writer = writer;
        this.config = config;
        this.traces = traces;
        this.wakeUp = wakeUp;
        this.meters = meters;
        this.rendering = rendering;
        this.transactions = transactions;
        this.eventTypes = eventTypes;
        this.clock = clock;
    }

    /**
     * Records one event and its deliveries in the current transaction.
     *
     * @return the event, with its id and timestamps set
     * @throws IllegalStateException    when no transaction is active
     * @throws IllegalArgumentException when its type is not in the {@code event_types} registry, or a
     *                                  payload does not match its schema
     */
    public <E extends Event> E registerEvent(E event) {
        registerEvents(List.of(event));
        return event;
    }

    /**
     * Records one event under an idempotency key, unless an event was recorded under the same key,
     * for the same tenant, within {@code tidings.outbox.idempotency-window}: then it records nothing
     * and answers that event's id. For a fact that a retried request or a redelivered message may
     * report twice; the key names the fact (a request's {@code Idempotency-Key}, a message id).
     * Concurrent transactions with one key wait for each other: one records, the others answer its
     * id once it has committed (or record, if it rolled back).
     *
     * @param idempotencyKey 1 to 255 characters
     * @throws IdempotencyKeyReused when the key in force recorded a different event (type, tenant or
     *                              notification payload); nothing is recorded
     * @throws IllegalStateException    when no transaction is active
     * @throws IllegalArgumentException as {@link #registerEvent(Event)} does, or for a key that is empty or too long
     */
    public Recorded registerEvent(Event event, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isEmpty() || idempotencyKey.length() > 255) {
            throw new IllegalArgumentException("An idempotency key is 1 to 255 characters");
        }
        Instant now = now();
        List<RenderedEvent> rendered = render(List.of(event), now);
        IdempotencyKeys.Holder holder = writer.writeKeyed(event, rendered.get(0), idempotencyKey, now, config.idempotencyWindow());
        if (holder.taken()) {
            atCommit(rendered);
            return new Recorded(event.getId(), true);
        }
        if (!holder.samePayload()) {
            throw new IdempotencyKeyReused(idempotencyKey, holder.eventId());
        }
        return new Recorded(holder.eventId(), false);
    }

    /**
     * Records several events in the current transaction; the deliveries of all of them are written
     * in one statement. Throws as {@link #registerEvent(Event)} does, before anything is written.
     */
    public void registerEvents(List<? extends Event> events) {
        Instant now = now();
        List<RenderedEvent> rendered = render(events, now);
        writer.write(events, rendered, now);
        atCommit(rendered);
    }

    /**
     * Records an event for one subscriber only, whatever its patterns and tenant: for messages
     * about the subscriber itself, such as a test message. Throws as {@link #registerEvent(Event)} does.
     */
    public <E extends Event> E registerEventFor(E event, UUID subscriberId) {
        Instant now = now();
        RenderedEvent rendered = render(List.of(event), now).get(0);
        writer.writeFor(event, rendered, subscriberId, now);
        atCommit(List.of(rendered));
        return event;
    }

    // Renders and checks every payload before writing any event: a bad one writes nothing.
    private List<RenderedEvent> render(List<? extends Event> events, Instant now) {
        requireActiveTransaction();
        List<EventType> types = events.stream().map(event -> eventTypes.require(event.getType())).toList();
        TraceCapture.TraceContext trace = traces.current();
        List<RenderedEvent> rendered = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            event.stamp(Ids.newId(now), now);
            event.renderedWith(types.get(i).schemaVersion());
            if (trace != null) {
                event.recordedIn(trace.traceparent(), trace.tracestate());
            }
            RenderedEvent payloads = RenderedEvent.of(event, types.get(i), rendering);
            event.freeze(payloads.notification(), payloads.telemetry(), payloads.orderingKey());
            rendered.add(payloads);
        }
        return rendered;
    }

    // Counted, and the workers and stream readers woken, when the transaction commits: events of a
    // rolled-back transaction never existed. Every commit that recorded events wakes them, since
    // streams read every event while deliveries exist only for some. One synchronization per
    // transaction, however many calls it makes.
    private void atCommit(List<RenderedEvent> rendered) {
        RecordedInTransaction recorded = (RecordedInTransaction) transactions.getResource(RECORDED);
        if (recorded == null) {
            recorded = new RecordedInTransaction();
            transactions.putResource(RECORDED, recorded);
            transactions.registerInterposedSynchronization(recorded);
        }
        for (RenderedEvent event : rendered) {
            recorded.counts.merge(event.type(), 1, Integer::sum);
        }
    }

    private final class RecordedInTransaction implements Synchronization {
        final Map<String, Integer> counts = new HashMap<>();

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status != Status.STATUS_COMMITTED) {
                return;
            }
            wakeUp.request();
            counts.forEach((type, count) -> registered.computeIfAbsent(type, t -> Counter.builder("tidings.events.registered")
                    .description("Events recorded by committed transactions").tag("type", t).register(meters)).increment(count));
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private void requireActiveTransaction() {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("Outbox.registerEvent must be called inside an active transaction, so that "
                    + "the event is recorded with the change it describes: annotate the calling method with "
                    + "@Transactional or use QuarkusTransaction");
        }
    }
}
