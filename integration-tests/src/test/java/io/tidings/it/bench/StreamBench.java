package io.tidings.it.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tidings.it.TestDatabase;
import io.tidings.it.bench.OutboxBenchmark.Measured;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Event;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.WorkerWakeUp;
import io.tidings.it.support.KafkaBroker;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.WebhookReceiver;

/**
 * The benchmark's stream phases, against the packaged service as a child process whose stream
 * readers read and a local Kafka broker: {@code kafka} (a backlog, in {@link KeyedDrains}),
 * {@code kafka-steady} (lag at a steady recording rate), {@code stream-record} (recording with three
 * streams reading against none), {@code stream-lag} (lag with a transaction held open against
 * without), {@code file-drain} (a file stream's backlog against plain writes of the same bytes).
 * {@code streams} stands for all of them. Events are recorded here, through {@link Outbox}.
 */
final class StreamBench {

    private static final String BENCH = "/* bench */ ";
    static final List<String> PARTS = List.of("kafka", "kafka-steady", "stream-record", "stream-lag", "file-drain");
    static final int WARMUP = Integer.getInteger("tidings.bench.stream-warmup", 20_000);
    static final int STEADY_RATE = Integer.getInteger("tidings.bench.steady-rate", 10_000);
    static final int STEADY_SECONDS = Integer.getInteger("tidings.bench.steady-seconds", 20);
    static final int STEADY_THREADS = Integer.getInteger("tidings.bench.steady-threads", 4);
    static final int STEADY_BATCH = 100;
    static final int STREAM_RECORD = Integer.getInteger("tidings.bench.stream-record", 20_000);
    static final int STREAM_RECORD_SINGLE = Integer.getInteger("tidings.bench.stream-record-single", 4_000);
    static final int STREAM_RECORD_ROUNDS = Integer.getInteger("tidings.bench.stream-record-rounds", 3);
    static final int STREAM_RECORD_WARMUP = Integer.getInteger("tidings.bench.stream-record-warmup-rounds", 2);
    static final int STREAMS_RECORDING = 3;
    static final int LAG_RATE = Integer.getInteger("tidings.bench.lag-rate", 500);
    static final int STREAM_LAG_SECONDS = Integer.getInteger("tidings.bench.stream-lag-seconds", 30);
    static final int HELD_OPEN_SECONDS = Integer.getInteger("tidings.bench.held-open-seconds", 60);
    static final int FILE_DRAIN = Integer.getInteger("tidings.bench.file-drain", 100_000);
    // FileSender.recordsPerBatch(): the plain writes force as often
    static final int FILE_BATCH = 1_000;
    // How long a stream may send nothing before what it has not sent counts as never sent
    static final Duration QUIET = Duration.ofSeconds(Integer.getInteger("tidings.bench.stream-quiet-seconds", 15));
    private static final Path OUTPUT = Path.of("target", "bench", "streams").toAbsolutePath();
    private static final String DESCRIPTION = "Release %d takes the new build pipeline to every region, with its runbooks, "
            + "dashboards and on-call rota; the canary runs for an hour before the rest follow, and any failed check rolls "
            + "the region back. Owners: platform, release engineering. Notes: the old pipeline stays read-only for a month "
            + "so that its history can be compared, then its artifacts are archived.";

    private final Outbox outbox;
    private final TestDatabase db;
    private final DataSource dataSource;
    private final StreamSinks sinks;
    private final BiConsumer<String, Object> result;
    private ServiceProcess service;

    StreamBench(Outbox outbox, TestDatabase db, DataSource dataSource, BiConsumer<String, Object> result) {
        this.outbox = outbox;
        this.db = db;
        this.dataSource = dataSource;
        this.sinks = new StreamSinks(db, dataSource);
        this.result = result;
    }

    /** Whether the phases select this part: by its name, by {@code streams}, or {@code stream-record} by {@code record}. */
    static boolean runs(Set<String> phases, String part) {
        return phases.contains(part) || phases.contains("streams") || part.equals("stream-record") && phases.contains("record");
    }

    static boolean runsAny(Set<String> phases) {
        return PARTS.stream().anyMatch(part -> runs(phases, part));
    }

    static boolean needsBroker(Set<String> phases) {
        return Stream.of("kafka", "kafka-steady", "stream-lag").anyMatch(part -> runs(phases, part));
    }

    static String goal(String goal, boolean met) {
        return goal + (met ? " (met)" : " (NOT met)");
    }

    /** @param service the child whose readers read the streams */
    void run(Set<String> phases, KafkaBroker broker, ServiceProcess service) throws Exception {
        this.service = service;
        if (runs(phases, "kafka")) {
            new KeyedDrains(db, result).kafka(broker, sinks, service);
        }
        if (runs(phases, "kafka-steady")) {
            steady(broker);
        }
        if (runs(phases, "stream-record")) {
            recordWithStreams();
        }
        if (runs(phases, "stream-lag")) {
            heldOpenLag(broker);
        }
        if (runs(phases, "file-drain")) {
            fileDrain();
        }
        db.reset();
    }

    // --- kafka-steady -----------------------------------------------------------------------------

    // STEADY_RATE events/s in transactions of STEADY_BATCH, through Outbox, with a kafka stream
    // subscribed and a consumer reading its topic: the lag from each commit to the consumer's poll
    // that returned the record, and whether the stream kept up.
    private void steady(KafkaBroker broker) throws Exception {
        kafkaStreamFromNow(broker, "bench-steady");
        try (TopicWatch watch = new TopicWatch(broker, "bench-steady")) {
            sinks.resetStatements();
            Recorded recorded = recordAtRate(STEADY_RATE, STEADY_BATCH, STEADY_SECONDS, STEADY_THREADS);
            String statements = sinks.statements(5);
            long behind = recorded.events() - watch.arrived(recorded.committed().keySet());
            long stopped = System.nanoTime();
            long lost = watch.settle(recorded.committed().keySet());
            long backlog = behind - lost; // what was still to come when recording stopped
            double caughtUpMs = (watch.last(recorded.committed().keySet()) - stopped) / 1e6;
            List<Double> lags = lags(recorded.committed(), watch);
            double p99 = percentile(lags, 0.99);
            result.accept("kafka_steady_target", STEADY_RATE + " events/s for " + STEADY_SECONDS + " s, " + STEADY_BATCH
                    + "-event transactions on " + STEADY_THREADS + " threads, one kafka stream, commit to consumer poll");
            result.accept("kafka_steady_recorded_per_s", Math.round(recorded.perSecond()));
            result.accept("kafka_steady_recorded_goal", goal(">= " + STEADY_RATE, recorded.perSecond() >= STEADY_RATE * 0.98));
            result.accept("kafka_steady_lag_p50_ms", round2(percentile(lags, 0.50)));
            result.accept("kafka_steady_lag_p95_ms", round2(percentile(lags, 0.95)));
            result.accept("kafka_steady_lag_p99_ms", round2(p99));
            result.accept("kafka_steady_lag_p99_goal", goal("< 100 ms", p99 < 100));
            result.accept("kafka_steady_backlog_at_stop", backlog);
            result.accept("kafka_steady_events_never_sent", lost);
            result.accept("kafka_steady_caught_up_ms_after_stop", Math.round(caughtUpMs));
            result.accept("kafka_steady_db_top_statements", statements);
            result.accept("kafka_steady_stream_kept_up", backlog <= recorded.perSecond() / 10
                    ? "yes (less than 100 ms of events behind when recording stopped)"
                    : "no (" + backlog + " events behind when recording stopped)");
        }
        db.reset();
    }

    // --- stream-record ----------------------------------------------------------------------------

    // The record phase's shapes (1-event transactions and 100-event ones, 4 threads, through Outbox)
    // with no subscriber at all, and with STREAMS_RECORDING file streams subscribed to '*' whose
    // readers run in the child. Rounds alternate which goes first; each "with" round makes its
    // streams anew (their cursors at now), waits until they have sent everything, and deletes them.
    private void recordWithStreams() throws Exception {
        db.reset();
        List<Path> directories = new ArrayList<>();
        for (int i = 0; i < STREAMS_RECORDING; i++) {
            directories.add(OUTPUT.resolve("record-" + System.nanoTime() + "-" + i));
        }
        List<Measured[]> single = new ArrayList<>();
        List<Measured[]> batched = new ArrayList<>();
        long neverSent = 0;
        for (int round = 0; round < STREAM_RECORD_WARMUP + STREAM_RECORD_ROUNDS; round++) {
            Measured[] none = null;
            if (round % 2 == 0) {
                none = recordRound();
            }
            List<UUID> streams = directories.stream().map(directory -> sinks.create("file", StreamSinks.file(directory), false))
                    .toList();
            sinks.awaitReaders(streams);
            Measured[] with = recordRound();
            neverSent += sinks.settle(streams, STREAM_RECORD_SINGLE + STREAM_RECORD);
            sinks.delete(streams);
            if (none == null) {
                none = recordRound();
            }
            single.add(new Measured[] { with[0], none[0] });
            batched.add(new Measured[] { with[1], none[1] });
        }
        result.accept("record_streams", STREAMS_RECORDING + " file streams subscribed to '*' (readers running, fsync per batch) "
                + "against no subscriber; median of " + STREAM_RECORD_ROUNDS + " rounds after " + STREAM_RECORD_WARMUP);
        result.accept("record_streams_events_never_sent", neverSent);
        reportRecord("record_streams_single", single);
        reportRecord("record_streams_batch100", batched);
        db.reset();
    }

    private Measured[] recordRound() throws Exception {
        return new Measured[] {
                OutboxBenchmark.measure(STREAM_RECORD_SINGLE, 1, () -> QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(event()))),
                OutboxBenchmark.measure(STREAM_RECORD, 100, () -> QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(events(100)))) };
    }

    private void reportRecord(String name, List<Measured[]> rounds) {
        List<Measured[]> measured = new ArrayList<>(rounds.subList(STREAM_RECORD_WARMUP, rounds.size()));
        measured.sort(Comparator.comparingDouble(StreamBench::ratio));
        Measured[] median = measured.get(measured.size() / 2);
        result.accept(name + "_with_streams_per_s", Math.round(median[0].perSecond()));
        result.accept(name + "_without_per_s", Math.round(median[1].perSecond()));
        result.accept(name + "_ratio", round2(ratio(median)));
        result.accept(name + "_ratio_goal", goal(">= 0.95", ratio(median) >= 0.95));
        result.accept(name + "_ratio_rounds", rounds.subList(0, STREAM_RECORD_WARMUP).stream().map(r -> String.valueOf(round2(ratio(r))))
                .collect(Collectors.joining(" ")) + " (warm-up), " + rounds.subList(STREAM_RECORD_WARMUP, rounds.size()).stream()
                        .map(r -> String.valueOf(round2(ratio(r)))).collect(Collectors.joining(" ")));
    }

    private static double ratio(Measured[] round) {
        return round[0].perSecond() / round[1].perSecond();
    }

    /** An empty outbox and a kafka stream on a new topic, from now on, its reader running. */
    private void kafkaStreamFromNow(KafkaBroker broker, String topic) {
        db.reset();
        broker.createTopic(topic, 3, Map.of());
        UUID stream = sinks.create("kafka", StreamSinks.kafka(broker.bootstrapServers(), topic), false);
        sinks.awaitReaders(List.of(stream));
    }

    // --- stream-lag -------------------------------------------------------------------------------

    // LAG_RATE events/s in 1-event transactions on 2 threads, as the webhook lag phase records, to a
    // kafka stream: for STREAM_LAG_SECONDS as they are, then for HELD_OPEN_SECONDS while another
    // transaction that wrote an event stays open from before the first to after the last. Its event
    // must not hold the others back; it is sent once it commits, which is timed too.
    private void heldOpenLag(KafkaBroker broker) throws Exception {
        kafkaStreamFromNow(broker, "bench-lag");
        try (TopicWatch watch = new TopicWatch(broker, "bench-lag")) {
            Recorded plain = recordAtRate(LAG_RATE, 1, STREAM_LAG_SECONDS, 2);
            long lostWithout = watch.settle(plain.committed().keySet());
            List<Double> without = lags(plain.committed(), watch);

            try (Connection held = dataSource.getConnection()) {
                held.setAutoCommit(false);
                String heldId;
                try (PreparedStatement insert = held.prepareStatement(BENCH + StreamSinks.EVENTS + " RETURNING id::text")) {
                    insert.setInt(1, KeyedDrains.KEYS);
                    insert.setInt(2, KeyedDrains.KEYS);
                    insert.setInt(3, 1);
                    try (ResultSet row = insert.executeQuery()) {
                        row.next();
                        heldId = row.getString(1);
                    }
                }
                long openedAt = System.nanoTime();
                Recorded during = recordAtRate(LAG_RATE, 1, HELD_OPEN_SECONDS, 2);
                long lostWith = watch.settle(during.committed().keySet());
                double heldSeconds = (System.nanoTime() - openedAt) / 1e9;
                List<Double> with = lags(during.committed(), watch);
                boolean seenBeforeCommit = watch.arrivals.containsKey(heldId);
                held.commit();
                long committed = System.nanoTime();
                db.rows(BENCH + "SELECT pg_notify('" + WorkerWakeUp.CHANNEL + "', '')"); // as Outbox does after a commit
                watch.await(Set.of(heldId), Duration.ofSeconds(30));
                double heldLag = (watch.arrivals.get(heldId) - committed) / 1e6;
                held.setAutoCommit(true);

                double p99Without = percentile(without, 0.99);
                double p99With = percentile(with, 0.99);
                result.accept("stream_lag", LAG_RATE + " events/s, 1-event transactions on 2 threads, one kafka stream, "
                        + "commit to consumer poll: " + STREAM_LAG_SECONDS + " s without, then " + HELD_OPEN_SECONDS
                        + " s with a transaction that wrote an event held open (" + round2(heldSeconds) + " s in all)");
                result.accept("stream_lag_p50_p95_p99_ms", round2(percentile(without, 0.50)) + " / "
                        + round2(percentile(without, 0.95)) + " / " + round2(p99Without));
                result.accept("stream_lag_held_open_p50_p95_p99_ms", round2(percentile(with, 0.50)) + " / "
                        + round2(percentile(with, 0.95)) + " / " + round2(p99With));
                result.accept("stream_lag_held_open_p99_ratio", round2(p99With / p99Without));
                result.accept("stream_lag_held_open_goal", goal("p99 within 2x of without", p99With <= 2 * p99Without));
                result.accept("stream_lag_recorded_per_s", Math.round(plain.perSecond()) + " / " + Math.round(during.perSecond()));
                result.accept("stream_lag_events_never_sent", lostWithout + " / " + lostWith);
                result.accept("stream_lag_held_event_sent_before_commit", seenBeforeCommit);
                result.accept("stream_lag_held_event_ms_after_commit", round2(heldLag));
            }
        }
        db.reset();
    }

    // --- file-drain -------------------------------------------------------------------------------

    // FILE_DRAIN events by SQL, then a file stream from the beginning: from its commit until its
    // cursor has sent them all (each batch of FILE_BATCH lines forced to disk before it counts).
    // Against it, the same bytes written by this JVM to a new file of the same disk, FILE_BATCH
    // lines per write, each followed by force(false) as the sink's (fdatasync).
    private void fileDrain() throws Exception {
        db.reset();
        sinks.prefill(FILE_DRAIN, KeyedDrains.KEYS);
        Path directory = OUTPUT.resolve("drain-" + System.nanoTime());
        long created = System.nanoTime();
        sinks.resetStatements();
        Duration cpu = service.cpuTime();
        UUID stream = sinks.create("file", StreamSinks.file(directory), true);
        sinks.awaitReaders(List.of(stream));
        long readerStarted = System.nanoTime();
        long unsent = sinks.settle(List.of(stream), FILE_DRAIN);
        long done = System.nanoTime();
        if (unsent > 0) {
            throw new IllegalStateException("the file stream sent " + (FILE_DRAIN - unsent) + " of " + FILE_DRAIN);
        }
        double streamSeconds = (done - created) / 1e9;
        double fromReader = (done - readerStarted) / 1e9;
        long cpuMicros = Math.round(service.cpuTime().minus(cpu).toNanos() / 1e3 / FILE_DRAIN);
        String statements = sinks.statements(4);
        db.reset(); // its reader stops

        Path written;
        try (Stream<Path> files = Files.list(directory)) {
            written = files.filter(file -> file.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(written);
        List<ByteBuffer> batches = new ArrayList<>();
        int lines = 0;
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && ++lines % FILE_BATCH == 0) {
                batches.add(ByteBuffer.wrap(bytes, from, i + 1 - from));
                from = i + 1;
            }
        }
        if (from < bytes.length) {
            batches.add(ByteBuffer.wrap(bytes, from, bytes.length - from));
        }
        Path plainFile = directory.resolve("plain.jsonl");
        long started = System.nanoTime();
        try (FileChannel channel = FileChannel.open(plainFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = 0;
            for (ByteBuffer batch : batches) {
                while (batch.hasRemaining()) {
                    position += channel.write(batch, position);
                }
                channel.force(false);
            }
        }
        double plainSeconds = (System.nanoTime() - started) / 1e9;
        Files.delete(plainFile);
        Files.delete(written); // the child may hold it open until it exits
        double ratio = plainSeconds / streamSeconds;
        result.accept("file_drain", FILE_DRAIN + " events (" + lines + " lines, " + Math.round(bytes.length / 1e6) + " MB) to one file "
                + "stream from the beginning, batches of " + FILE_BATCH + " lines each forced (fdatasync) before the cursor moves");
        result.accept("file_stream_drain_per_s", Math.round(FILE_DRAIN / streamSeconds));
        result.accept("file_stream_drain_per_s_from_reader_start", Math.round(FILE_DRAIN / fromReader));
        result.accept("file_plain_write_per_s", Math.round(lines / plainSeconds));
        result.accept("file_plain_write_mb_per_s", Math.round(bytes.length / 1e6 / plainSeconds));
        result.accept("file_ratio", round2(ratio));
        result.accept("file_stream_child_cpu_us_per_record", cpuMicros);
        result.accept("file_stream_db_top_statements", statements);
    }

    // --- recording at a rate ----------------------------------------------------------------------

    /** When each recorded event's transaction committed (System.nanoTime), and the rate achieved. */
    private record Recorded(Map<String, Long> committed, long events, double perSecond) {
    }

    /**
     * Records {@code rate} events/s for {@code seconds}, {@code perTransaction} in each transaction,
     * on {@code threads} threads that take the next transaction's slot in turn; one late starts at once.
     */
    private Recorded recordAtRate(int rate, int perTransaction, int seconds, int threads) throws Exception {
        int transactions = rate * seconds / perTransaction;
        long interval = 1_000_000_000L * perTransaction / rate;
        Map<String, Long> committed = new ConcurrentHashMap<>(transactions * perTransaction * 2);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime() + 20_000_000L;
        List<Future<?>> recorders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            recorders.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < transactions; i = next.getAndIncrement()) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait); // not a spin: 2 cores are shared
                    }
                    List<Event> events = events(perTransaction);
                    QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(events));
                    long now = System.nanoTime();
                    for (Event event : events) {
                        committed.put(event.getId().toString(), now);
                    }
                }
            }));
        }
        for (Future<?> recorder : recorders) {
            recorder.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Recorded(committed, committed.size(), committed.size() / elapsed);
    }

    /** Commit to arrival of each event that arrived. */
    private static List<Double> lags(Map<String, Long> committed, TopicWatch watch) {
        List<Double> lags = new ArrayList<>(committed.size());
        committed.forEach((id, at) -> {
            Long arrived = watch.arrivals.get(id);
            if (arrived != null) {
                lags.add((arrived - at) / 1e6);
            }
        });
        Collections.sort(lags);
        return lags;
    }

    /** A project:updated event whose notification is 330 to 560 bytes, as the prefilled ones. */
    private static Event event() {
        int n = java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000);
        String text = DESCRIPTION.formatted(n);
        String description = text.substring(0, Math.min(text.length(), 220 + n % 230));
        return new ProjectEvent("project:updated", Project.create("Project " + n % KeyedDrains.KEYS, description, Instant.now()));
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event());
        }
        return events;
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /**
     * A consumer of every partition of a topic from its end, on a thread of its own: when each
     * event id's record first came back from a poll (System.nanoTime).
     */
    private static final class TopicWatch implements AutoCloseable {
        final Map<String, Long> arrivals = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        TopicWatch(KafkaBroker broker, String topic) throws InterruptedException {
            CountDownLatch assigned = new CountDownLatch(1);
            Properties settings = new Properties();
            settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
            settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
            thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
                    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                            .map(info -> new TopicPartition(topic, info.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position);
                    assigned.countDown();
                    while (running) {
                        var records = consumer.poll(Duration.ofMillis(100));
                        long now = System.nanoTime();
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            Header id = record.headers().lastHeader("tidings-event-id");
                            if (id != null) {
                                arrivals.putIfAbsent(new String(id.value(), StandardCharsets.UTF_8), now);
                            }
                        }
                    }
                }
            }, "bench-consumer-" + topic);
            thread.setDaemon(true);
            thread.start();
            if (!assigned.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the consumer of " + topic + " did not start");
            }
        }

        long arrived(Set<String> ids) {
            return ids.stream().filter(arrivals::containsKey).count();
        }

        /**
         * Waits until every one of the ids arrived, or none has for {@link #QUIET}: a stream that
         * skipped some never sends them. @return how many never arrived
         */
        long settle(Set<String> ids) {
            long seen = -1;
            long changed = System.nanoTime();
            while (true) {
                long now = arrived(ids);
                if (now == ids.size()) {
                    return 0;
                }
                if (now != seen) {
                    seen = now;
                    changed = System.nanoTime();
                } else if (System.nanoTime() - changed > QUIET.toNanos()) {
                    System.out.printf("%d of %d events never reached the topic%n", ids.size() - now, ids.size());
                    return ids.size() - now;
                }
                LockSupport.parkNanos(50_000_000L);
            }
        }

        /** When the last of the ids that arrived did. */
        long last(Set<String> ids) {
            return ids.stream().map(arrivals::get).filter(java.util.Objects::nonNull).mapToLong(Long::longValue).max().orElse(0);
        }

        void await(Set<String> ids, Duration timeout) {
            WebhookReceiver.await(() -> arrived(ids) == ids.size(), timeout, () -> "arrived " + arrived(ids) + " of " + ids.size());
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
