package io.tidings.it.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Tracer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.it.TestDatabase;
import io.tidings.it.example.TestEvents;
import io.tidings.outbox.Event;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.WorkerWakeUp;
import io.tidings.it.support.KafkaBroker;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.analytics.internal.AnalyticsSubscriber;
import io.vertx.core.Vertx;

/**
 * Record, drain, lag, drain under failure and memory, and streams, in one run, against a PostgreSQL with
 * production durability. Prints a Markdown table and writes target/bench/results.json. Run with
 * {@code ./mvnw -Pbench verify}; sizes by system property (see the constants).
 */
@QuarkusTest
@TestProfile(BenchProfile.class)
class OutboxBenchmark {

    private static final int RECORD = Integer.getInteger("tidings.bench.record", 4_000);
    private static final int RECORD_ROUNDS = Integer.getInteger("tidings.bench.record-rounds", 3);
    private static final int RECORD_WARMUP_ROUNDS = Integer.getInteger("tidings.bench.record-warmup-rounds", 4);
    private static final int DRAIN = Integer.getInteger("tidings.bench.drain", 100_000);
    private static final int DRAIN_WARMUP = Integer.getInteger("tidings.bench.drain-warmup", 50_000);
    private static final int LAG_SECONDS = Integer.getInteger("tidings.bench.lag-seconds", 30);
    private static final int LAG_RATE = Integer.getInteger("tidings.bench.lag-rate", 500);
    private static final int ENDPOINTS = 10;
    private static final Set<String> PHASES = Set.of(System.getProperty("tidings.bench.phases", "record,drain,lag,failure,shapes,peer,ordered,streams").split(","));
    // "shapes" runs them all; "streams" runs StreamBench.PARTS ("kafka" among them)
    private static final List<String> SHAPES = List.of("one-webhook", "slow-webhook", "idle-tenants", "pending-depth", "vacuum");
    private static final int ONE_WEBHOOK = Integer.getInteger("tidings.bench.one-webhook", 20_000);
    private static final int SLOW_WEBHOOK = Integer.getInteger("tidings.bench.slow-webhook", 3_000);
    private static final int TENANT_EVENTS = Integer.getInteger("tidings.bench.tenant-events", 4_000);
    private static final int IDLE_WEBHOOKS = Integer.getInteger("tidings.bench.idle-webhooks", 100_000);
    private static final int SHALLOW = Integer.getInteger("tidings.bench.shallow", 20_000);
    private static final int DEEP = Integer.getInteger("tidings.bench.deep", 1_000_000);
    private static final int THREADS = 4;
    // tidings.worker.max-in-flight-per-subscriber, as the drain child runs with its defaults
    private static final int LANE = 16;
    // The peer's senders, each holding a connection while it sends (gruelbox's design)
    private static final int PEER_THREADS = Integer.getInteger("tidings.bench.peer-threads", 32);
    // Marks the benchmark's own statements, which the database time per delivery leaves out.
    private static final String BENCH = "/* bench */ ";
    private static final ThreadMXBean THREAD_CLOCK = ManagementFactory.getThreadMXBean();

    @Inject
    Outbox outbox;
    @Inject
    TestDatabase db;
    @Inject
    DataSource dataSource;
    @Inject
    Vertx vertx;

    private final Map<String, Object> results = new LinkedHashMap<>();

    @Test
    void benchmark() throws Exception {
        try {
            db.update(BENCH + "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        } catch (RuntimeException notLoaded) {
            System.out.println("pg_stat_statements is not loaded: database time per delivery is not measured");
        }
        // as the server says, not as it was asked
        result("database", (System.getProperty("tidings.bench.jdbc-url") == null ? "embedded PostgreSQL " : "tidings.bench.jdbc-url, PostgreSQL ")
                + db.value("SHOW server_version") + ", fsync=" + db.value("SHOW fsync") + ", synchronous_commit="
                + db.value("SHOW synchronous_commit") + ", full_page_writes=" + db.value("SHOW full_page_writes")
                + ", autovacuum=" + db.value("SHOW autovacuum"));
        try (BenchReceiver receiver = new BenchReceiver(vertx)) {
            if (PHASES.contains("record")) {
                record(receiver);
            }
            db.reset(); // the drain child starts on an empty outbox and measures only the rows written for it
            if (PHASES.contains("drain") || PHASES.contains("lag") || PHASES.contains("ordered")
                    || SHAPES.stream().anyMatch(OutboxBenchmark::runs)) {
                try (ServiceProcess service = ServiceProcess.start("bench-drain", DurablePostgres.jdbcUrl, Map.of(
                        "tidings.analytics.enabled", "true", "tidings.analytics.endpoint", receiver.url("/batch")))) {
                    warmUp(receiver, "drain");
                    if (PHASES.contains("drain")) {
                        drainWebhooks(receiver, service);
                        analyticsSeconds(receiver, DRAIN_WARMUP); // the analytics sender warms up likewise
                        drainAnalytics(receiver, service);
                    }
                    if (PHASES.contains("lag")) {
                        lag(receiver);
                    }
                    if (runs("one-webhook")) {
                        oneWebhook(receiver);
                    }
                    if (runs("slow-webhook")) {
                        slowWebhook(receiver);
                    }
                    if (runs("idle-tenants")) {
                        idleTenants(receiver);
                    }
                    if (runs("pending-depth")) {
                        pendingDepth(receiver);
                    }
                    if (runs("vacuum")) {
                        vacuumHeldBack(receiver);
                    }
                    if (PHASES.contains("ordered")) {
                        new KeyedDrains(db, this::result).orderedVersusUnordered(receiver);
                    }
                    service.terminate(Duration.ofSeconds(30)); // SIGTERM, so a JFR recording of the child is written
                }
            }
            if (StreamBench.runsAny(PHASES)) {
                // The stream readers run in the child, which gets its own: no analytics, defaults otherwise.
                try (KafkaBroker broker = StreamBench.needsBroker(PHASES) ? KafkaBroker.start() : null;
                        ServiceProcess service = ServiceProcess.start("bench-streams", DurablePostgres.jdbcUrl, Map.of())) {
                    new StreamBench(outbox, db, dataSource, this::result).run(PHASES, broker, service);
                    service.terminate(Duration.ofSeconds(30));
                }
            }
            if (PHASES.contains("drain") && PHASES.contains("peer")) {
                peerDrain(receiver);
            }
            if (PHASES.contains("failure")) {
                try (ServiceProcess service = ServiceProcess.start("bench-failure", DurablePostgres.jdbcUrl,
                        Map.of("tidings.delivery.timeout", "5s"))) {
                    drainWithHangingEndpoint(service);
                    service.terminate(Duration.ofSeconds(30));
                }
            }
        }
        report();
    }

    // --- record -----------------------------------------------------------------------------------

    // Each round measures Tidings, the limit without and with a JTA transaction, and the gruelbox
    // peer (in its own JVM) one after another, so that all meet the same noise on a shared machine;
    // the reported ratios are medians of the measured rounds' ratios. Warm-up rounds come first:
    // plain JDBC needs little, but the ORM, transaction manager and JSON paths ran at 0.6 of their
    // steady rate for the first three or four rounds (30,000 events) while the JIT compiled them.
    private void record(BenchReceiver receiver) throws Exception {
        db.reset();
        db.setAnalyticsEnabled(true);
        UUID webhook = db.webhook("https://bench.invalid/hook", true, "*");
        List<Measured[]> single = new ArrayList<>();
        List<Measured[]> batched = new ArrayList<>();
        try (GruelboxPeerProcess.Rounds peer = PHASES.contains("peer") ? peerRounds(receiver) : null) {
            for (int round = 0; round < RECORD_WARMUP_ROUNDS + RECORD_ROUNDS; round++) {
                single.add(recordRound(1, webhook, peer));
                batched.add(recordRound(100, webhook, peer));
            }
        }
        reportRecord("record_single", single);
        reportRecord("record_batch100", batched);
    }

    /**
     * Tidings, the limit, the limit in a JTA transaction, the peer (null without one), Tidings with
     * an idempotency key per event, and Tidings inside a host's span, whose trace context it then
     * records (the last two for single events only, else null; the span also without OpenTelemetry).
     */
    private Measured[] recordRound(int perTransaction, UUID webhook, GruelboxPeerProcess.Rounds peer) throws Exception {
        Runnable tidings = perTransaction == 1 ? () -> outbox.registerEvent(event()) : () -> outbox.registerEvents(events(perTransaction));
        Tracer tracer = BenchSpans.tracer();
        return new Measured[] {
                measure(RECORD, perTransaction, () -> QuarkusTransaction.requiringNew().run(tidings)),
                measure(RECORD, perTransaction, () -> plainInsert(perTransaction, webhook, true)),
                measure(RECORD, perTransaction, () -> QuarkusTransaction.requiringNew().run(() -> plainInsert(perTransaction, webhook, false))),
                peer == null ? null : new Measured(peer.record(RECORD, perTransaction), Double.NaN),
                perTransaction > 1 ? null : measure(RECORD, 1, () -> QuarkusTransaction.requiringNew().run(
                        () -> outbox.registerEvent(event(), UUID.randomUUID().toString()))),
                perTransaction > 1 || tracer == null ? null : measure(RECORD, 1, BenchSpans.inSpan(tracer,
                        () -> QuarkusTransaction.requiringNew().run(tidings))) };
    }

    private static GruelboxPeerProcess.Rounds peerRounds(BenchReceiver receiver) throws Exception {
        if (!GruelboxPeerProcess.available()) {
            throw new IllegalStateException("target/bench/gruelbox-lib is missing: the peer runs in ./mvnw -Pbench verify");
        }
        return GruelboxPeerProcess.rounds("bench-peer-record", DurablePostgres.jdbcUrl, receiver.url(""));
    }

    /**
     * The measured round with the median ratio to the limit: its two rates, their ratio and the CPU
     * time the recording threads spent per event; every round's ratio, in order; then the medians of
     * the ratios to the limit in a JTA transaction and to the peer.
     */
    private void reportRecord(String name, List<Measured[]> rounds) {
        List<Measured[]> measured = new ArrayList<>(rounds.subList(RECORD_WARMUP_ROUNDS, rounds.size()));
        measured.sort(Comparator.comparingDouble(round -> ratio(round, 1)));
        Measured[] median = measured.get(measured.size() / 2);
        result(name + "_events_per_s", round(median[0].perSecond()));
        result(name + "_limit_per_s", round(median[1].perSecond()));
        result(name + "_ratio", round2(ratio(median, 1)));
        result(name + "_ratio_rounds", ratios(rounds.subList(0, RECORD_WARMUP_ROUNDS)) + " (warm-up), "
                + ratios(rounds.subList(RECORD_WARMUP_ROUNDS, rounds.size())));
        result(name + "_caller_cpu_us_per_event", round(median[0].cpuMicrosPerEvent()));
        result(name + "_limit_caller_cpu_us_per_event", round(median[1].cpuMicrosPerEvent()));
        result(name + "_limit_in_jta_per_s", round(medianOf(measured, round -> round[2].perSecond())));
        result(name + "_ratio_to_limit_in_jta", round2(medianOf(measured, round -> ratio(round, 2))));
        if (measured.get(0)[3] != null) {
            result("peer_" + name + "_events_per_s", round(medianOf(measured, round -> round[3].perSecond())));
            result(name + "_peer_ratio", round2(medianOf(measured, round -> ratio(round, 3))));
        }
        if (measured.get(0)[4] != null) {
            result(name + "_keyed_events_per_s", round(medianOf(measured, round -> round[4].perSecond())));
            double keyed = medianOf(measured, round -> round[4].perSecond() / round[0].perSecond());
            result(name + "_keyed_ratio", round2(keyed));
            result(name + "_keyed_ratio_goal", StreamBench.goal(">= 0.9", keyed >= 0.9));
            result(name + "_keyed_ratio_rounds", rounds.stream().map(round -> String.valueOf(round2(round[4].perSecond() / round[0].perSecond())))
                    .collect(Collectors.joining(" ")));
        }
        if (name.equals("record_single")) {
            reportTraced(name, rounds, measured);
        }
    }

    // Recording inside a span (its trace context captured and stored with the event) over recording
    // outside any, in the same application and round. The span's own cost counts against Tidings.
    private void reportTraced(String name, List<Measured[]> rounds, List<Measured[]> measured) {
        if (measured.get(0)[5] == null) {
            result(name + "_traced_ratio", "not measured: the application has no OpenTelemetry (run with -Pbench,bench-tracing)");
            return;
        }
        result(name + "_traced_events_per_s", round(medianOf(measured, round -> round[5].perSecond())));
        double traced = medianOf(measured, round -> round[5].perSecond() / round[0].perSecond());
        result(name + "_traced_ratio", round2(traced));
        result(name + "_traced_ratio_goal", StreamBench.goal(">= 0.95", traced >= 0.95));
        result(name + "_traced_ratio_rounds", rounds.stream().map(round -> String.valueOf(round2(round[5].perSecond() / round[0].perSecond())))
                .collect(Collectors.joining(" ")));
    }

    private static double medianOf(List<Measured[]> rounds, java.util.function.ToDoubleFunction<Measured[]> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        return values[values.length / 2];
    }

    /** Tidings' rate over the other's, in one round. */
    private static double ratio(Measured[] round, int other) {
        return round[0].perSecond() / round[other].perSecond();
    }

    private static String ratios(List<Measured[]> rounds) {
        return rounds.stream().map(round -> String.valueOf(round2(ratio(round, 1)))).collect(Collectors.joining(" "));
    }

    // The limit: the same event rows (with their frozen payloads) and delivery rows, plain JDBC
    // batches, the same transaction shapes; in a transaction of its own, or in the JTA transaction
    // the caller began.
    private void plainInsert(int events, UUID webhook, boolean ownTransaction) {
        try (Connection connection = dataSource.getConnection()) {
            if (ownTransaction) {
                connection.setAutoCommit(false);
            }
            try (PreparedStatement event = connection.prepareStatement("INSERT INTO events (id, kind, type, occurred_at, "
                    + "recorded_at, project_id, project_name, project_description, notification, telemetry, ordering_key) "
                    + "VALUES (?, 'project', 'project:created', ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement delivery = connection.prepareStatement("INSERT INTO deliveries (event_id, subscriber_id, "
                            + "payload, next_attempt_at, created_at) VALUES (?, ?, ?::jsonb, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < events; i++) {
                    UUID id = UUID.randomUUID();
                    UUID project = UUID.randomUUID();
                    event.setObject(1, id);
                    event.setTimestamp(2, now);
                    event.setTimestamp(3, now);
                    event.setObject(4, project);
                    event.setString(5, "P");
                    event.setString(6, "to the moon");
                    // the payloads frozen in the event row, as Outbox keeps them for streams
                    String notification = "{\"project\":{\"id\":\"" + project + "\",\"name\":\"P\",\"description\":\"to the moon\"}}";
                    String telemetry = "{\"project\":{\"id\":\"" + "0".repeat(64) + "\"}}";
                    event.setString(7, notification);
                    event.setString(8, telemetry);
                    event.setString(9, project.toString());
                    event.addBatch();
                    for (Object[] row : new Object[][] { { webhook, notification }, { AnalyticsSubscriber.ID, telemetry } }) {
                        delivery.setObject(1, id);
                        delivery.setObject(2, row[0]);
                        delivery.setString(3, (String) row[1]);
                        delivery.setTimestamp(4, now);
                        delivery.setTimestamp(5, now);
                        delivery.addBatch();
                    }
                }
                event.executeBatch();
                delivery.executeBatch();
                if (ownTransaction) {
                    connection.commit();
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- drain ------------------------------------------------------------------------------------

    // A child starts cold: during its first drain, C2 compiling took more of the two cores (50-70% of
    // one) than the worker and the event loop together, and the rate measured that. The figures are
    // of a warmed instance, as a service that runs for days is; the first drain's rate is printed too.
    private void warmUp(BenchReceiver receiver, String child) {
        if (DRAIN_WARMUP > 0) {
            double seconds = drainSeconds(receiver, endpoints(), DRAIN_WARMUP, DRAIN_WARMUP);
            awaitDelivered(DRAIN_WARMUP, Duration.ofMinutes(1));
            result(child + "_child_first_drain_per_s", round(DRAIN_WARMUP / seconds));
        }
    }

    private static List<String> endpoints() {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            paths.add("/ok/" + i);
        }
        return paths;
    }

    private void drainWebhooks(BenchReceiver receiver, ServiceProcess service) throws Exception {
        MemoryWatch memory = new MemoryWatch(service);
        Costs costs = new Costs(service);
        double seconds = drainSeconds(receiver, endpoints(), DRAIN, DRAIN);
        awaitDelivered(DRAIN, Duration.ofMinutes(1));
        memory.stop();
        result("drain_webhook_deliveries_per_s", round(DRAIN / seconds));
        costs.report("drain_webhook", DRAIN);
        result("drain_peak_heap_mb", memory.peakHeapMb());
        result("drain_peak_rss_mb", memory.peakRssMb());
    }

    /**
     * Prefills {@code rows} deliveries spread evenly over one webhook per receiver path, and waits
     * until {@code awaited} of them arrived. @return seconds from their commit to that arrival
     */
    private double drainSeconds(BenchReceiver receiver, List<String> paths, int rows, long awaited) {
        db.reset();
        List<UUID> webhooks = paths.stream().map(path -> db.webhook(receiver.url(path), true, "*")).toList();
        return drainMoreSeconds(receiver, webhooks, rows, awaited);
    }

    /** As {@link #drainSeconds}, on the outbox as it is: what earlier drains left stays. */
    private double drainMoreSeconds(BenchReceiver receiver, List<UUID> webhooks, int rows, long awaited) {
        long before = receiver.webhooks.get();
        long started = prefill(webhooks, rows);
        // Waiting on the receiver, not on count(*) queries that would compete with the worker.
        WebhookReceiver.await(() -> receiver.webhooks.get() - before >= awaited, Duration.ofMinutes(3),
                () -> "received " + (receiver.webhooks.get() - before) + " of " + awaited);
        return (System.nanoTime() - started) / 1e9;
    }

    private void drainAnalytics(BenchReceiver receiver, ServiceProcess service) {
        Costs costs = new Costs(service);
        result("drain_analytics_events_per_s", round(DRAIN / analyticsSeconds(receiver, DRAIN)));
        costs.report("drain_analytics", DRAIN);
    }

    /**
     * What a drain cost, which moves far less with the machine's noise than its rate: the child's
     * CPU time, and PostgreSQL's execution and planning time of every statement but the
     * benchmark's own (from pg_stat_statements, where the server loads it), per delivery.
     */
    private final class Costs {
        private final ServiceProcess service;
        private final Duration childCpu;
        private final double statementMillis;

        Costs(ServiceProcess service) {
            this.service = service;
            this.childCpu = service.cpuTime();
            this.statementMillis = statementMillis();
        }

        void report(String name, int deliveries) {
            result(name + "_child_cpu_us_per_delivery", round(service.cpuTime().minus(childCpu).toNanos() / 1e3 / deliveries));
            double statements = statementMillis();
            result(name + "_db_us_per_delivery", Double.isNaN(statements) ? "n/a" : round((statements - statementMillis) * 1e3 / deliveries));
        }
    }

    /** NaN where pg_stat_statements is not loaded. */
    private double statementMillis() {
        try {
            return ((Number) db.value(BENCH + "SELECT coalesce(sum(total_exec_time + total_plan_time), 0) FROM pg_stat_statements "
                    + "WHERE query NOT LIKE '/* bench */%'")).doubleValue();
        } catch (RuntimeException notLoaded) {
            return Double.NaN;
        }
    }

    /** Prefills {@code rows} analytics deliveries and waits until all arrived. @return seconds from their commit */
    private double analyticsSeconds(BenchReceiver receiver, int rows) {
        db.reset();
        db.update("UPDATE subscribers SET enabled = true, target = jsonb_build_object('url', ?::text) WHERE id = ?",
                receiver.url("/batch"), AnalyticsSubscriber.ID);
        long before = receiver.capsules.get();
        long started = prefill(List.of(AnalyticsSubscriber.ID), rows);
        WebhookReceiver.await(() -> receiver.capsules.get() - before >= rows, Duration.ofMinutes(3),
                () -> "capsules: " + (receiver.capsules.get() - before));
        double seconds = (System.nanoTime() - started) / 1e9;
        awaitDelivered(rows, Duration.ofMinutes(1));
        db.setAnalyticsEnabled(false);
        return seconds;
    }

    // Both rates come from the same child, one after the other, so that they differ by the hanging
    // endpoint only: healthy endpoints' rate with it against their rate without it.
    private void drainWithHangingEndpoint(ServiceProcess service) throws Exception {
        try (BenchReceiver receiver = new BenchReceiver(vertx)) {
            warmUp(receiver, "failure");
            double unimpaired = healthyRate(receiver, false);
            double impaired = healthyRate(receiver, true);
            result("failure_healthy_per_endpoint_per_s", round(impaired));
            result("failure_unimpaired_per_endpoint_per_s", round(unimpaired));
            result("failure_ratio", round2(impaired / unimpaired));
        }
    }

    /** Deliveries per second per healthy endpoint, of DRAIN/2 spread over ENDPOINTS endpoints, one of them hanging or not. */
    private double healthyRate(BenchReceiver receiver, boolean oneHanging) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS - 1; i++) {
            paths.add("/ok/" + i);
        }
        paths.add((oneHanging ? "/hang/" : "/ok/") + (ENDPOINTS - 1));
        int rows = DRAIN / 2;
        int healthyRows = rows / ENDPOINTS * (ENDPOINTS - 1);
        return healthyRows / drainSeconds(receiver, paths, rows, healthyRows) / (ENDPOINTS - 1);
    }

    /** Writes {@code count} deliveries spread over the subscribers in one statement. @return when they were committed */
    private long prefill(List<UUID> subscribers, int count) {
        db.update(BENCH + """
                INSERT INTO events (id, kind, type, occurred_at, project_id, project_name)
                SELECT tidings_uuid_v7(), 'project', 'project:created', now(), gen_random_uuid(), 'P' FROM generate_series(1, ?)
                """, count);
        // Statistics from the truncated table once let the foreign-key checks below scan a whole index per row.
        db.update(BENCH + "ANALYZE events");
        db.update(BENCH + """
                INSERT INTO deliveries (event_id, subscriber_id, payload)
                SELECT e.id, (?::uuid[])[1 + (row_number() OVER () % ?)],
                       jsonb_build_object('project', jsonb_build_object('id', encode(sha256(e.project_id::text::bytea), 'hex')))
                  FROM events e WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
                """, subscribers.toArray(UUID[]::new), subscribers.size());
        db.update(BENCH + "ANALYZE events, deliveries"); // as a live outbox would have, and the drain's plans assume
        long committed = System.nanoTime();
        db.rows("SELECT pg_notify('" + WorkerWakeUp.CHANNEL + "', '')");
        return committed;
    }

    private void awaitDelivered(int count, Duration timeout) {
        String delivered = BENCH + "SELECT count(*) FROM deliveries WHERE status = 'delivered'";
        WebhookReceiver.await(() -> db.count(delivered) >= count, timeout, () -> "delivered " + db.count(delivered) + " of " + count);
    }

    // --- shapes -----------------------------------------------------------------------------------

    private static boolean runs(String shape) {
        return PHASES.contains(shape) || PHASES.contains("shapes");
    }

    // One endpoint alone: its lane (max-in-flight-per-subscriber requests at once) is the limit.
    private void oneWebhook(BenchReceiver receiver) {
        result("one_webhook_drain_per_s", round(ONE_WEBHOOK / drainSeconds(receiver, List.of("/ok/one"), ONE_WEBHOOK, ONE_WEBHOOK)));
    }

    // One endpoint that takes SLOW_MILLIS per answer: the lane's requests at once over that latency
    // is its capacity, and the drain's rate against it is the measure.
    private void slowWebhook(BenchReceiver receiver) {
        double rate = SLOW_WEBHOOK / drainSeconds(receiver, List.of("/slow/one"), SLOW_WEBHOOK, SLOW_WEBHOOK);
        double capacity = LANE * 1000.0 / BenchReceiver.SLOW_MILLIS;
        result("slow_webhook_latency_ms", BenchReceiver.SLOW_MILLIS);
        result("slow_webhook_drain_per_s", round(rate));
        result("slow_webhook_capacity_per_s", round(capacity));
        result("slow_webhook_ratio", round2(rate / capacity));
    }

    // One tenant records events through registerEvent and its one webhook receives them, before and
    // after IDLE_WEBHOOKS webhooks of other tenants (ten each) join that match none of them: recording
    // and delivering must not notice them.
    private void idleTenants(BenchReceiver receiver) throws Exception {
        db.reset();
        UUID tenant = (UUID) db.value(BENCH + "INSERT INTO tenants (name) VALUES ('busy') RETURNING id");
        db.update(BENCH + "INSERT INTO subscribers (id, kind, target, tenant_id) "
                + "VALUES (tidings_uuid_v7(), 'webhook', jsonb_build_object('url', ?::text), ?)",
                receiver.url("/ok/tenant"), tenant);
        db.update(BENCH + "INSERT INTO subscriptions SELECT id, 'project:*' FROM subscribers WHERE tenant_id = ?", tenant);
        tenantRound(receiver, tenant); // warm-up
        checkpoint();
        Measured[] alone = tenantRound(receiver, tenant);
        long started = System.nanoTime();
        db.update(BENCH + "INSERT INTO tenants (name) SELECT 'idle ' || g FROM generate_series(1, ?) g", IDLE_WEBHOOKS / 10);
        db.update(BENCH + "INSERT INTO subscribers (id, kind, target, tenant_id) SELECT tidings_uuid_v7(), 'webhook', "
                + "'{\"url\": \"https://idle.invalid/hook\"}', t.id FROM tenants t CROSS JOIN generate_series(1, 10) WHERE t.id <> ?", tenant);
        db.update(BENCH + "INSERT INTO subscriptions SELECT id, 'project:*' FROM subscribers WHERE kind = 'webhook' "
                + "AND tenant_id <> ?", tenant);
        result("idle_webhooks_added_s", round2((System.nanoTime() - started) / 1e9));
        checkpoint(); // writing a million routes must not be paid for by the rounds that follow
        Measured[] crowded = tenantRound(receiver, tenant);
        result("idle_webhooks", IDLE_WEBHOOKS);
        result("tenant_record_per_s_alone", round(alone[0].perSecond()));
        result("tenant_record_per_s_with_idle", round(crowded[0].perSecond()));
        result("tenant_record_ratio", round2(crowded[0].perSecond() / alone[0].perSecond()));
        result("tenant_delivered_per_s_alone", round(alone[1].perSecond()));
        result("tenant_delivered_per_s_with_idle", round(crowded[1].perSecond()));
        result("tenant_delivered_ratio", round2(crowded[1].perSecond() / alone[1].perSecond()));
        db.reset();
    }

    private void checkpoint() {
        db.update(BENCH + "CHECKPOINT");
    }

    /** Records TENANT_EVENTS of the tenant's; @return the recording rate, and the rate from start to the last arrival */
    private Measured[] tenantRound(BenchReceiver receiver, UUID tenant) throws Exception {
        long before = receiver.webhooks.get();
        long started = System.nanoTime();
        Measured recorded = measure(TENANT_EVENTS, 1, () -> QuarkusTransaction.requiringNew().run(
                () -> outbox.registerEvent(TestEvents.of("project:created", tenant, "P"))));
        WebhookReceiver.await(() -> receiver.webhooks.get() - before >= TENANT_EVENTS, Duration.ofMinutes(3),
                () -> "received " + (receiver.webhooks.get() - before) + " of " + TENANT_EVENTS);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Measured[] { recorded, new Measured(TENANT_EVENTS / seconds, 0) };
    }

    // The same deliveries' rate with the outbox holding only them, and holding DEEP pending rows: the
    // claim reads by key, so depth must not slow it.
    private void pendingDepth(BenchReceiver receiver) {
        double shallow = SHALLOW / drainSeconds(receiver, endpoints(), SHALLOW, SHALLOW);
        awaitDelivered(SHALLOW, Duration.ofMinutes(1));
        double deep = SHALLOW / drainSeconds(receiver, endpoints(), DEEP, SHALLOW);
        result("pending_depth", SHALLOW + " vs " + DEEP);
        result("drain_per_s_shallow_outbox", round(shallow));
        result("drain_per_s_deep_outbox", round(deep));
        result("pending_depth_ratio", round2(deep / shallow));
        db.reset();
    }

    // Every claim and outcome leaves a dead row version. With autovacuum held back for the outbox
    // tables, a drain of DRAIN_WARMUP leaves them all; the next drain's rate against the first's.
    // The service vacuums them itself then (tidings.vacuum.*), every 30 s.
    private void vacuumHeldBack(BenchReceiver receiver) {
        String tables = "deliveries, delivery_attempts, events";
        db.reset();
        List<UUID> webhooks = endpoints().stream().map(path -> db.webhook(receiver.url(path), true, "*")).toList();
        for (String table : tables.split(", ")) {
            db.update(BENCH + "ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
        }
        try {
            double first = DRAIN_WARMUP / drainMoreSeconds(receiver, webhooks, DRAIN_WARMUP, DRAIN_WARMUP);
            awaitDelivered(DRAIN_WARMUP, Duration.ofMinutes(1));
            long dead = db.count(BENCH + "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'deliveries'");
            double next = DRAIN_WARMUP / drainMoreSeconds(receiver, webhooks, DRAIN_WARMUP, DRAIN_WARMUP);
            result("vacuum_held_back_dead_rows_before", dead);
            result("vacuum_held_back_first_drain_per_s", round(first));
            result("vacuum_held_back_next_drain_per_s", round(next));
            result("vacuum_held_back_ratio", round2(next / first));
        } finally {
            for (String table : tables.split(", ")) {
                db.update(BENCH + "ALTER TABLE " + table + " RESET (autovacuum_enabled)");
            }
            db.reset();
        }
    }

    // --- peer -------------------------------------------------------------------------------------

    private void peerDrain(BenchReceiver receiver) throws Exception {
        db.reset();
        long before = receiver.webhooks.get();
        Map<String, String> peer = peer("bench-peer-drain", receiver, 0, 0, 0, DRAIN_WARMUP, DRAIN);
        long received = receiver.webhooks.get() - before;
        if (received < DRAIN_WARMUP + DRAIN) {
            throw new IllegalStateException("the peer's receiver got " + received + " of " + (DRAIN_WARMUP + DRAIN));
        }
        result("peer_senders", PEER_THREADS);
        result("peer_drain_first_webhooks_per_s", peer.get("drain_first_webhooks_per_s"));
        if (results.containsKey("drain_webhook_deliveries_per_s")) {
            result("peer_drain_webhooks_per_s", peer.get("drain_webhooks_per_s"));
            result("drain_peer_ratio", round2(((Number) results.get("drain_webhook_deliveries_per_s")).doubleValue()
                    / Double.parseDouble(peer.get("drain_webhooks_per_s"))));
        }
    }

    private Map<String, String> peer(String name, BenchReceiver receiver, int... sizes) throws Exception {
        if (!GruelboxPeerProcess.available()) {
            throw new IllegalStateException("target/bench/gruelbox-lib is missing: the peer runs in ./mvnw -Pbench verify");
        }
        List<String> arguments = new ArrayList<>(List.of(DurablePostgres.jdbcUrl, receiver.url("")));
        for (int size : sizes) {
            arguments.add(Integer.toString(size));
        }
        arguments.add(Integer.toString(PEER_THREADS));
        return GruelboxPeerProcess.run(name, arguments);
    }

    // --- lag --------------------------------------------------------------------------------------

    private void lag(BenchReceiver receiver) throws Exception {
        db.reset();
        db.webhook(receiver.url("/ok/lag"), true, "*");
        // For the split below: when each delivery was claimed, by the clock, at the end of the claim's statement.
        db.update(BENCH + """
                CREATE TABLE bench_claims (delivery_id uuid, claimed_at timestamptz);
                CREATE FUNCTION bench_claimed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO bench_claims VALUES (NEW.id, clock_timestamp());
                    RETURN NULL;
                END $$;
                CREATE TRIGGER bench_claimed AFTER UPDATE OF status ON deliveries FOR EACH ROW
                    WHEN (NEW.status = 'in_flight' AND OLD.status <> 'in_flight') EXECUTE FUNCTION bench_claimed()""");
        receiver.arrivals.clear();
        receiver.recordArrivals = true;
        Map<String, Long> committed = new ConcurrentHashMap<>();
        int total = LAG_RATE * LAG_SECONDS;
        long start = System.nanoTime();
        long interval = 1_000_000_000L / LAG_RATE;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int first = t;
            senders.add(pool.submit(() -> {
                for (int i = first; i < total; i += 2) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait); // not a spin: 2 cores are shared
                    }
                    Event event = QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(event()));
                    committed.put(event.getId().toString(), System.nanoTime());
                }
            }));
        }
        for (Future<?> sender : senders) {
            sender.get();
        }
        pool.shutdown();
        WebhookReceiver.await(() -> receiver.arrivals.size() >= total, Duration.ofSeconds(30),
                () -> "arrived " + receiver.arrivals.size() + " of " + total);
        receiver.recordArrivals = false;
        List<Double> lags = new ArrayList<>();
        committed.forEach((id, at) -> lags.add((receiver.arrivals.get(id) - at) / 1e6));
        Collections.sort(lags);
        result("lag_rate_per_s", LAG_RATE);
        result("lag_p50_ms", round2(percentile(lags, 0.50)));
        result("lag_p95_ms", round2(percentile(lags, 0.95)));
        result("lag_p99_ms", round2(percentile(lags, 0.99)));
        lagSplit(committed, receiver.arrivals);
        db.update(BENCH + "DROP TRIGGER bench_claimed ON deliveries; DROP FUNCTION bench_claimed(); DROP TABLE bench_claims");
    }

    /**
     * Where the lag goes, per event: from the commit to the end of the claim that took its delivery
     * (the notification, the worker's wake-up, the claim), from there to the start of the send (the
     * queue to a sender, signing), and from there to the receiver (the request). Claims and send
     * starts ({@code attempted_at}) are times of the same machine's clock.
     */
    private void lagSplit(Map<String, Long> committed, Map<String, Long> arrivals) {
        long wallMinusNano = ChronoUnit.NANOS.between(Instant.EPOCH, Instant.now()) - System.nanoTime();
        List<Double> toClaimed = new ArrayList<>();
        List<Double> toSend = new ArrayList<>();
        List<Double> request = new ArrayList<>();
        for (Map<String, Object> row : db.rows(BENCH + "SELECT d.event_id::text AS event, min(c.claimed_at) AS claimed, "
                + "min(a.attempted_at) AS sent FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id "
                + "JOIN bench_claims c ON c.delivery_id = d.id GROUP BY d.event_id")) {
            Long commit = committed.get((String) row.get("event"));
            Long arrival = arrivals.get((String) row.get("event"));
            if (commit == null || arrival == null) {
                continue;
            }
            long claimed = nanoTime(row.get("claimed"), wallMinusNano);
            long sent = nanoTime(row.get("sent"), wallMinusNano);
            toClaimed.add((claimed - commit) / 1e6);
            toSend.add((sent - claimed) / 1e6);
            request.add((arrival - sent) / 1e6);
        }
        result("lag_commit_to_claimed_p50_p95_p99_ms", split(toClaimed));
        result("lag_claimed_to_send_p50_p95_p99_ms", split(toSend));
        result("lag_send_to_received_p50_p95_p99_ms", split(request));
    }

    private static long nanoTime(Object timestamp, long wallMinusNano) {
        return ChronoUnit.NANOS.between(Instant.EPOCH, ((java.sql.Timestamp) timestamp).toInstant()) - wallMinusNano;
    }

    private static String split(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return round2(percentile(sorted, 0.50)) + " / " + round2(percentile(sorted, 0.95)) + " / " + round2(percentile(sorted, 0.99))
                + " (" + sorted.size() + " events)";
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static Event event() {
        return TestEvents.of("project:created", "P");
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event());
        }
        return events;
    }

    /** The rate and the caller threads' CPU time per event of {@code events} events, {@code perTransaction} in each operation. */
    record Measured(double perSecond, double cpuMicrosPerEvent) {
    }

    // CPU time is the recording threads' own (the JVM's thread clock): JIT, GC and PostgreSQL come on top.
    static Measured measure(int events, int perTransaction, Runnable operation) throws Exception {
        int operations = events / perTransaction;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicLong cpuNanos = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int share = operations / THREADS + (t < operations % THREADS ? 1 : 0);
            futures.add(pool.submit(() -> {
                long cpuBefore = THREAD_CLOCK.getCurrentThreadCpuTime();
                for (int i = 0; i < share; i++) {
                    operation.run();
                }
                cpuNanos.addAndGet(THREAD_CLOCK.getCurrentThreadCpuTime() - cpuBefore);
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        return new Measured(events / seconds, cpuNanos.get() / 1e3 / events);
    }

    private void result(String name, Object value) {
        results.put(name, value);
        System.out.printf("%s = %s%n", name, value);
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static long round(double value) {
        return Math.round(value);
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private void report() throws Exception {
        StringBuilder table = new StringBuilder("\n| measure | value |\n| --- | --- |\n");
        results.forEach((key, value) -> table.append("| ").append(key).append(" | ").append(value).append(" |\n"));
        System.out.println(table);
        Path file = Path.of("target", "bench", "results.json");
        Files.createDirectories(file.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
        System.out.println("Written to " + file.toAbsolutePath());
    }

    /** Samples the child's heap (from its metrics) and resident memory (from /proc) while a drain runs. */
    private static final class MemoryWatch {
        private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.eE+]+)$");
        private final ServiceProcess service;
        private volatile boolean running = true;
        private volatile double peakHeap;
        private final Thread thread;

        MemoryWatch(ServiceProcess service) {
            this.service = service;
            this.thread = new Thread(this::sample, "bench-memory");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            while (running) {
                try {
                    String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.url("/q/metrics")))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    double heap = 0;
                    Matcher matcher = HEAP.matcher(metrics);
                    while (matcher.find()) {
                        heap += Double.parseDouble(matcher.group(1));
                    }
                    peakHeap = Math.max(peakHeap, heap);
                    Thread.sleep(250);
                } catch (Exception e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }

        long peakHeapMb() {
            return Math.round(peakHeap / (1024 * 1024));
        }

        long peakRssMb() throws java.io.IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(service.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
            return -1;
        }
    }
}
