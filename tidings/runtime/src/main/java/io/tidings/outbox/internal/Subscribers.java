package io.tidings.outbox.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

/**
 * The SQL on {@code subscribers} and {@code subscriptions} that is not an entity's: sinks, the
 * analytics destination, and what {@code /collected} lists. Runs in the caller's transaction.
 * (The webhook API keeps its rows through the {@link Subscriber} entities; {@link SubscriberHealth}
 * and {@link SubscriberSecrets} own the webhook health and sealed secret columns.)
 */
@ApplicationScoped
public class Subscribers {

    private static final String SINKS = """
            SELECT s.id, s.description, s.kind, s.tenant_id, s.payload, s.ordered OR s.stream, s.enabled, s.target::text, s.created_at,
                   coalesce((SELECT string_agg(pattern, ',' ORDER BY pattern) FROM subscriptions WHERE subscriber_id = s.id), ''),
                   s.stream
              FROM subscribers s WHERE s.kind <> 'webhook'
            """;

    /** A subscriber other than a webhook, as the sinks API shows it. */
    public record Sink(UUID id, String description, String kind, UUID tenantId, String payload, boolean ordered,
            boolean enabled, String target, Instant createdAt, List<String> patterns, boolean stream) {
    }

    /** A sink to add; {@code sealedSecret} may be null. */
    public record NewSink(UUID id, String kind, String description, UUID tenantId, String payload, boolean ordered,
            String target, String sealedSecret, boolean stream, List<String> patterns) {
    }

    /** A destination of telemetry: what it is called, its kind, and the patterns it takes. */
    public record TelemetryDestination(String description, String kind, String patterns) {
    }

    @Inject
    EntityManager entityManager;

    public void add(NewSink sink) {
        entityManager.createNativeQuery("INSERT INTO subscribers (id, kind, description, tenant_id, all_tenants, payload, "
                + "ordered, target, secret, stream) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CAST(?8 AS jsonb), ?9, ?10)")
                .setParameter(1, sink.id()).setParameter(2, sink.kind()).setParameter(3, sink.description())
                .setParameter(4, sink.tenantId()).setParameter(5, sink.tenantId() == null).setParameter(6, sink.payload())
                .setParameter(7, sink.ordered()).setParameter(8, sink.target()).setParameter(9, sink.sealedSecret())
                .setParameter(10, sink.stream())
                .executeUpdate();
        for (String pattern : sink.patterns()) {
            entityManager.createNativeQuery("INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?1, ?2)")
                    .setParameter(1, sink.id()).setParameter(2, pattern).executeUpdate();
        }
    }

    /** How many subscriptions pin each pinned pattern ({@code project:created@1}). */
    public Map<String, Long> pinCounts() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                "SELECT pattern, count(*) FROM subscriptions WHERE schema_version IS NOT NULL GROUP BY pattern").getResultList();
        Map<String, Long> counts = new TreeMap<>();
        rows.forEach(row -> counts.put((String) row[0], ((Number) row[1]).longValue()));
        return counts;
    }

    public List<Sink> sinks() {
        return sinks(entityManager.createNativeQuery(SINKS + " ORDER BY s.id"));
    }

    public List<Sink> sink(UUID id) {
        return sinks(entityManager.createNativeQuery(SINKS + " AND s.id = CAST(?1 AS uuid)").setParameter(1, id));
    }

    /** Enables a subscriber, or disables it as the operator's choice. */
    public void setEnabled(UUID id, boolean enabled) {
        entityManager.createNativeQuery("UPDATE subscribers SET enabled = ?1, updated_at = now(), disabled_reason = "
                + "CASE WHEN ?1 THEN NULL ELSE 'disabled by the operator' END, disabled_at = CASE WHEN ?1 THEN NULL "
                + "ELSE coalesce(disabled_at, now()) END WHERE id = ?2")
                .setParameter(1, enabled).setParameter(2, id).executeUpdate();
    }

    /** Deletes a subscriber; its subscriptions, routes and deliveries go with it. */
    public void delete(UUID id) {
        entityManager.createNativeQuery("DELETE FROM subscribers WHERE id = ?1").setParameter(1, id).executeUpdate();
    }

    /**
     * Adds the subscriber of the configured analytics backend, disabled, taking every type, unless it
     * is there: instances that start together may race to add it, harmlessly.
     */
    public void addAllTenantsTelemetry(UUID id, String kind) {
        entityManager.createNativeQuery("INSERT INTO subscribers (id, kind, enabled, payload, all_tenants, created_at, "
                + "updated_at) VALUES (?1, ?2, false, 'telemetry', true, now(), now()) ON CONFLICT (id) DO NOTHING")
                .setParameter(1, id).setParameter(2, kind).executeUpdate();
        entityManager.createNativeQuery("INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?1, '*') "
                + "ON CONFLICT DO NOTHING").setParameter(1, id).executeUpdate();
    }

    /** The enabled subscribers that take telemetry, oldest first. */
    public List<TelemetryDestination> telemetryDestinations() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                SELECT coalesce(s.description, 'the analytics backend set in the configuration'), s.kind,
                       coalesce((SELECT string_agg(p.pattern, ', ' ORDER BY p.pattern) FROM subscriptions p
                                  WHERE p.subscriber_id = s.id), '')
                  FROM subscribers s WHERE s.payload = 'telemetry' AND s.enabled ORDER BY s.created_at, s.id
                """).getResultList();
        return rows.stream().map(row -> new TelemetryDestination((String) row[0], (String) row[1], (String) row[2])).toList();
    }

    /** How many webhooks and streams there are, enabled or not: {webhooks, streams}. */
    public long[] webhooksAndStreams() {
        Object[] row = (Object[]) entityManager.createNativeQuery(
                "SELECT count(*) FILTER (WHERE kind = 'webhook'), count(*) FILTER (WHERE stream) FROM subscribers").getSingleResult();
        return new long[] { ((Number) row[0]).longValue(), ((Number) row[1]).longValue() };
    }

    private static List<Sink> sinks(Query query) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(row -> new Sink((UUID) row[0], (String) row[1], (String) row[2], (UUID) row[3], (String) row[4],
                (Boolean) row[5], (Boolean) row[6], (String) row[7], NativeValues.instant(row[8]),
                Arrays.stream(((String) row[9]).split(",")).filter(p -> !p.isEmpty()).toList(), (Boolean) row[10])).toList();
    }
}
