package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.validation.Validator;

import org.hibernate.Session;
import org.hibernate.boot.beanvalidation.BeanValidationEventListener;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.internal.PostInsertEventListenerStandardImpl;
import org.hibernate.event.spi.EventType;
import org.hibernate.jpa.event.spi.CallbackType;
import org.hibernate.persister.entity.EntityPersister;
import org.jboss.logging.Logger;

import io.tidings.outbox.Event;

/**
 * Writes recorded events and their deliveries in the current transaction, in as few round trips as
 * their mapping allows. A class whose mapping a plain insert can write exactly goes through its
 * {@link EventInsert}; any other class (one with lifecycle callbacks, bean constraints, generated
 * values, insert listeners…) goes through persist(), so that everything Hibernate would do for it
 * still happens. Events written directly are not attached to the persistence context; they are
 * facts, never changed after recording.
 */
@ApplicationScoped
public class OutboxWriter {

    private static final Logger LOG = Logger.getLogger(OutboxWriter.class);

    private final EntityManager entityManager;
    private final Validator validator;
    private final DeliveryFanOut fanOut;
    private final Map<Class<?>, Optional<EventInsert>> inserts = new ConcurrentHashMap<>();

    @Inject
    OutboxWriter(EntityManager entityManager, Validator validator, DeliveryFanOut fanOut) {
        this.entityManager = entityManager;
        this.validator = validator;
        this.fanOut = fanOut;
    }

    /**
     * Writes the events and their deliveries to every subscriber that wants them. A single event
     * of a directly written class takes one round trip for both.
     *
     * @return how many deliveries were written
     */
    public int write(List<? extends Event> events, List<RenderedEvent> rendered, Instant now) {
        return write(events, (connection, direct, session) -> {
            if (events.size() == 1 && direct.size() == 1) {
                return direct.keySet().iterator().next().executeThen(connection, events.get(0), session,
                        DeliveryFanOut.INSERT_DELIVERIES, (statement, first) -> fanOut.bind(statement, first, rendered, now));
            }
            insertAll(connection, direct, session);
            return fanOut.insertDeliveries(connection, rendered, now);
        });
    }

    /**
     * Takes an idempotency key for the event and, where the event took it, writes the event and its
     * deliveries. For a directly written class the key, the event and the fan-out go in one round
     * trip, the event and the fan-out only where the key is the event's.
     *
     * @return who holds the key: this event, or the one recorded under it before
     */
    public IdempotencyKeys.Holder writeKeyed(Event event, RenderedEvent rendered, String key, Instant now, Duration window) {
        Session session = entityManager.unwrap(Session.class);
        Optional<EventInsert> insert = inserts.computeIfAbsent(event.getClass(), type -> insertFor(type, session));
        if (insert.isEmpty()) {
            IdempotencyKeys.Holder holder = session.doReturningWork(connection -> IdempotencyKeys.take(connection, rendered, key, now, window));
            if (holder.taken()) {
                write(List.of(event), List.of(rendered), now);
            }
            return holder;
        }
        session.flush(); // the session's pending changes first, as for any event
        SharedSessionContractImplementor implementor = session.unwrap(SharedSessionContractImplementor.class);
        String sql = IdempotencyKeys.TAKE + ";\n" + insert.get().insertWhere(IdempotencyKeys.TAKEN)
                + ";\nSELECT CASE WHEN " + IdempotencyKeys.TAKEN + " THEN " + DeliveryFanOut.FAN_OUT + " ELSE 0 END";
        byte[] fingerprint = IdempotencyKeys.fingerprint(rendered);
        return session.doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int next = IdempotencyKeys.bindTake(statement, 1, rendered, fingerprint, key, now, window);
                next = insert.get().bind(statement, next, event, implementor);
                next = IdempotencyKeys.bindTaken(statement, next, rendered, key);
                next = IdempotencyKeys.bindTaken(statement, next, rendered, key);
                fanOut.bind(statement, next, List.of(rendered), now);
                statement.execute();
                try (ResultSet holder = statement.getResultSet()) {
                    return IdempotencyKeys.holder(holder, rendered, fingerprint);
                }
            }
        });
    }

    /** Writes the event and one delivery of its notification payload to the subscriber. @return 1 */
    public int writeFor(Event event, RenderedEvent rendered, UUID subscriberId, Instant now) {
        return write(List.of(event), (connection, direct, session) -> {
            insertAll(connection, direct, session);
            return fanOut.insertDirect(connection, rendered, subscriberId, now);
        });
    }

    /** What a write does on the session's connection once the events that need persist() are persisted. */
    @FunctionalInterface
    private interface DirectWrite {
        /** @param direct the events still to insert, by insert */
        int run(Connection connection, Map<EventInsert, List<Event>> direct, SharedSessionContractImplementor session)
                throws SQLException;
    }

    private int write(List<? extends Event> events, DirectWrite rest) {
        Session session = entityManager.unwrap(Session.class);
        Map<EventInsert, List<Event>> direct = persistUnlessDirect(events, session);
        SharedSessionContractImplementor implementor = session.unwrap(SharedSessionContractImplementor.class);
        return session.doReturningWork(connection -> rest.run(connection, direct, implementor));
    }

    private static void insertAll(Connection connection, Map<EventInsert, List<Event>> direct,
            SharedSessionContractImplementor session) throws SQLException {
        for (Map.Entry<EventInsert, List<Event>> batch : direct.entrySet()) {
            batch.getKey().execute(connection, batch.getValue(), session);
        }
    }

    /**
     * Persists the events that need persist() and returns the others by insert. The session's
     * pending changes are flushed, so that they are written before the events, in the order
     * persist() and flush() kept before: an event's row may refer to rows of the same transaction.
     */
    private Map<EventInsert, List<Event>> persistUnlessDirect(List<? extends Event> events, Session session) {
        Map<EventInsert, List<Event>> direct = new LinkedHashMap<>();
        for (Event event : events) {
            Optional<EventInsert> insert = inserts.computeIfAbsent(event.getClass(), type -> insertFor(type, session));
            if (insert.isPresent()) {
                direct.computeIfAbsent(insert.get(), key -> new ArrayList<>()).add(event);
            } else {
                session.persist(event);
            }
        }
        session.flush();
        return direct;
    }

    private Optional<EventInsert> insertFor(Class<?> type, Session session) {
        SessionFactoryImplementor factory = session.getSessionFactory().unwrap(SessionFactoryImplementor.class);
        EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(type);
        String reason = EventInsert.unsupported(persister);
        if (reason == null) {
            reason = unsupportedHere(type, factory);
        }
        if (reason != null) {
            LOG.infof("Events of %s are written with persist(), which is slower than a direct insert, because %s", type.getName(), reason);
            return Optional.empty();
        }
        return Optional.of(EventInsert.of(persister));
    }

    // What persist() would add in this application: callbacks, bean validation, insert listeners
    // other than Hibernate's own for those two.
    private String unsupportedHere(Class<?> type, SessionFactoryImplementor factory) {
        if (factory.getEventEngine().getCallbackRegistry().hasRegisteredCallbacks(type, CallbackType.PRE_PERSIST)
                || factory.getEventEngine().getCallbackRegistry().hasRegisteredCallbacks(type, CallbackType.POST_PERSIST)) {
            return "it has persist callbacks";
        }
        if (validator.getConstraintsForClass(type).isBeanConstrained()) {
            return "it has bean validation constraints";
        }
        for (EventType<?> event : List.of(EventType.PRE_INSERT, EventType.POST_INSERT, EventType.POST_COMMIT_INSERT)) {
            List<String> listeners = StreamSupport.stream(factory.getEventListenerRegistry().getEventListenerGroup(event).listeners().spliterator(), false)
                    .filter(listener -> !(listener instanceof BeanValidationEventListener || listener instanceof PostInsertEventListenerStandardImpl))
                    .map(listener -> listener.getClass().getName()).toList();
            if (!listeners.isEmpty()) {
                return "insert listeners are registered: " + listeners;
            }
        }
        return null;
    }
}
