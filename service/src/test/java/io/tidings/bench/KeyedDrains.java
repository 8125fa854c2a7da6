package io.tidings.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.tidings.TestDatabase;
import io.tidings.outbox.internal.WorkerWakeUp;
import io.tidings.support.KafkaBroker;
import io.tidings.support.WebhookReceiver;

/**
 * The benchmark's phases of backlogs spread over keys: one webhook drained ordered and unordered,
 * and a kafka sink beside a plain producer sending the same records to the same broker.
 */
final class KeyedDrains {

    private static final String BENCH = "/* bench */ ";
    static final int KEYS = Integer.getInteger("tidings.bench.keys", 1_000);
    static final int ORDERED = Integer.getInteger("tidings.bench.ordered", 20_000);
    static final int KAFKA = Integer.getInteger("tidings.bench.kafka", 100_000);

    private final TestDatabase db;
    private final BiConsumer<String, Object> result;

    KeyedDrains(TestDatabase db, BiConsumer<String, Object> result) {
        this.db = db;
        this.result = result;
    }

    /** The same backlog to one webhook, unordered then ordered per key. */
    void orderedVersusUnordered(BenchReceiver receiver) {
        double unordered = webhookSeconds(receiver, false);
        double ordered = webhookSeconds(receiver, true);
        result.accept("ordered_backlog", ORDERED + " deliveries over " + KEYS + " keys, one webhook");
        result.accept("unordered_drain_per_s", Math.round(ORDERED / unordered));
        result.accept("ordered_drain_per_s", Math.round(ORDERED / ordered));
        result.accept("ordered_ratio", Math.round(unordered / ordered * 100) / 100.0);
    }

    private double webhookSeconds(BenchReceiver receiver, boolean ordered) {
        db.reset();
        UUID webhook = db.webhook(receiver.url("/ok/keyed"), true, "*");
        db.update("UPDATE subscribers SET ordered = ? WHERE id = ?", ordered, webhook);
        long before = receiver.webhooks.get();
        long started = prefill(webhook, ORDERED, ordered);
        WebhookReceiver.await(() -> receiver.webhooks.get() - before >= ORDERED, Duration.ofMinutes(5),
                () -> "received " + (receiver.webhooks.get() - before) + " of " + ORDERED);
        return (System.nanoTime() - started) / 1e9;
    }

    /** A kafka sink's drain against a plain idempotent producer, to one local broker, in this run. */
    void kafka() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopic("bench-tidings", 3, Map.of());
            broker.createTopic("bench-plain", 3, Map.of());
            db.reset();
            UUID sink = UUID.randomUUID();
            db.update("INSERT INTO subscribers (id, kind, all_tenants, ordered, target) VALUES (?, 'kafka', true, true, "
                    + "jsonb_build_object('bootstrap_servers', ?::text, 'topic', 'bench-tidings', 'record', 'message'))",
                    sink, broker.bootstrapServers());
            long started = prefill(sink, KAFKA, true);
            awaitOffsets(broker, "bench-tidings", KAFKA);
            double tidings = (System.nanoTime() - started) / 1e9;
            double plain = plainProducerSeconds(broker, records());
            result.accept("kafka_backlog", KAFKA + " records over " + KEYS + " keys, 3 partitions");
            result.accept("kafka_drain_per_s", Math.round(KAFKA / tidings));
            result.accept("kafka_plain_producer_per_s", Math.round(KAFKA / plain));
            result.accept("kafka_ratio", Math.round(plain / tidings * 100) / 100.0);
        }
    }

    /**
     * {@code count} deliveries to the subscriber, spread over {@link #KEYS} keys; ordered, the later
     * ones of each key parked as the fan-out parks them. @return when they were committed
     */
    private long prefill(UUID subscriber, int count, boolean ordered) {
        db.update(BENCH + """
                INSERT INTO events (id, kind, type, occurred_at, project_id, project_name)
                SELECT tidings_uuid_v7(), 'project', 'project:created', now(), gen_random_uuid(), 'P' FROM generate_series(1, ?)
                """, count);
        db.update(BENCH + "ANALYZE events");
        db.update(BENCH + """
                INSERT INTO deliveries (event_id, subscriber_id, payload, ordering_key, next_attempt_at)
                SELECT e.id, ?, jsonb_build_object('project', jsonb_build_object('id', e.project_id, 'name', 'P')),
                       CASE WHEN ? THEN 'key-' || (n % ?) END,
                       CASE WHEN ? AND n > ? THEN 'infinity'::timestamptz ELSE now() END
                  FROM (SELECT id, project_id, row_number() OVER (ORDER BY id) AS n FROM events) e
                """, subscriber, ordered, KEYS, ordered, KEYS);
        db.update(BENCH + "ANALYZE events, deliveries");
        long committed = System.nanoTime();
        db.rows("SELECT pg_notify('" + WorkerWakeUp.CHANNEL + "', '')");
        return committed;
    }

    /** The records the sink sent, as a plain producer would send them: same key, value and headers. */
    private List<ProducerRecord<byte[], byte[]>> records() {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(KAFKA);
        for (Map<String, Object> row : db.rows(BENCH + "SELECT d.event_id::text AS id, d.ordering_key AS key, "
                + "'{\"id\":\"' || d.event_id || '\",\"type\":\"project:created\",\"timestamp\":\"' || e.occurred_at || '\",\"data\":' "
                + "|| d.payload::text || '}' AS value FROM deliveries d JOIN events e ON e.id = d.event_id ORDER BY d.event_id")) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("tidings-event-id", bytes(row.get("id")));
            headers.add("tidings-event-type", bytes("project:created"));
            headers.add("tidings-schema-version", bytes("1"));
            headers.add("content-type", bytes("application/json"));
            records.add(new ProducerRecord<>("bench-plain", null, bytes(row.get("key")), bytes(row.get("value")), headers));
        }
        return records;
    }

    private static double plainProducerSeconds(KafkaBroker broker, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
            producer.partitionsFor("bench-plain"); // metadata first, as the sink's producer has it by then
            long started = System.nanoTime();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            records.forEach(record -> acks.add(producer.send(record)));
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    // Waiting on the topic's end offsets, not on count(*) queries that would compete with the worker.
    private static void awaitOffsets(KafkaBroker broker, String topic, long count) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(),
                    new TopicPartition(topic, 1), OffsetSpec.latest(), new TopicPartition(topic, 2), OffsetSpec.latest());
            WebhookReceiver.await(() -> {
                try {
                    return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum() >= count;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofMinutes(10), () -> "fewer than " + count + " records on " + topic);
        }
    }

    private static byte[] bytes(Object text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
