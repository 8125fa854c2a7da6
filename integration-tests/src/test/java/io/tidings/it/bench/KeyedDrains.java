package io.tidings.it.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.tidings.it.TestDatabase;
import io.tidings.outbox.internal.WorkerWakeUp;
import io.tidings.it.support.KafkaBroker;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.WebhookReceiver;

/**
 * The benchmark's phases of backlogs spread over keys: one webhook drained ordered and unordered,
 * and a kafka stream beside a plain producer sending the same records to the same broker.
 */
final class KeyedDrains {

    private static final String BENCH = "/* bench */ ";
    static final int KEYS = Integer.getInteger("tidings.bench.keys", 1_000);
    static final int ORDERED = Integer.getInteger("tidings.bench.ordered", 20_000);
    static final int KAFKA = Integer.getInteger("tidings.bench.kafka", 1_000_000);

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

    /**
     * A kafka stream's drain of a backlog against a plain idempotent {@code acks=all} producer sending
     * the same records (keys, value bytes, headers) to another topic of the same broker, in this run.
     * The backlog is {@link #KAFKA} events written by SQL with their frozen payloads; the stream is
     * made with its cursor at the beginning, and timed from its commit until the topic's end offsets
     * reach the backlog (the child looks for new streams every second: the time from its reader's
     * start is printed too). Both sides first send {@link StreamBench#WARMUP} records of their own.
     */
    void kafka(KafkaBroker broker, StreamSinks sinks, ServiceProcess service) throws Exception {
        for (String topic : List.of("bench-tidings-warmup", "bench-plain-warmup", "bench-tidings", "bench-plain")) {
            broker.createTopic(topic, 3, Map.of());
        }
        if (StreamBench.WARMUP > 0) {
            db.reset();
            sinks.prefill(StreamBench.WARMUP, KEYS);
            List<ProducerRecord<byte[], byte[]>> warmup = sinks.plainRecords("bench-plain-warmup");
            double[] first = streamSeconds(broker, sinks, "bench-tidings-warmup", StreamBench.WARMUP);
            plainProducerSeconds(broker, warmup);
            result.accept("streams_child_first_kafka_drain_per_s", Math.round(StreamBench.WARMUP / first[0]));
        }
        db.reset();
        long prefillStarted = System.nanoTime();
        sinks.prefill(KAFKA, KEYS);
        result.accept("kafka_prefill_s", Math.round((System.nanoTime() - prefillStarted) / 1e8) / 10.0);
        List<ProducerRecord<byte[], byte[]>> records = sinks.plainRecords("bench-plain");
        sinks.resetStatements();
        Duration cpu = service.cpuTime();
        double[] tidings = streamSeconds(broker, sinks, "bench-tidings", KAFKA);
        long cpuMicros = Math.round(service.cpuTime().minus(cpu).toNanos() / 1e3 / KAFKA);
        String statements = sinks.statements(4);
        double plain = plainProducerSeconds(broker, records);
        records = null;
        double ratio = plain / tidings[0];
        result.accept("kafka_backlog", KAFKA + " events (notification 315-594 bytes) over " + KEYS
                + " keys, 3 partitions, one local KRaft broker (no fsync per batch, Kafka's default)");
        result.accept("kafka_stream_drain_per_s", Math.round(KAFKA / tidings[0]));
        result.accept("kafka_stream_drain_per_s_from_reader_start", Math.round(KAFKA / tidings[1]));
        result.accept("kafka_plain_producer_per_s", Math.round(KAFKA / plain));
        result.accept("kafka_ratio", Math.round(ratio * 100) / 100.0);
        result.accept("kafka_ratio_goal", StreamBench.goal(">= 0.8", ratio >= 0.8));
        result.accept("kafka_records_identical", sameRecords(broker));
        result.accept("kafka_stream_child_cpu_us_per_record", cpuMicros);
        result.accept("kafka_stream_db_top_statements", statements);
    }

    /**
     * Makes a kafka stream from the beginning on the events held now and waits until {@code count}
     * records are on {@code topic}. @return seconds from the stream's commit, and from its reader's start
     */
    private double[] streamSeconds(KafkaBroker broker, StreamSinks sinks, String topic, long count) {
        long created = System.nanoTime();
        UUID stream = sinks.create("kafka", StreamSinks.kafka(broker.bootstrapServers(), topic), true);
        sinks.awaitReaders(List.of(stream));
        long readerStarted = System.nanoTime(); // within 20 ms
        awaitOffsets(broker, topic, count);
        long done = System.nanoTime();
        return new double[] { (done - created) / 1e9, (done - readerStarted) / 1e9 };
    }

    /**
     * Whether the first records of partition 0 of both topics are the same, one by one: key, value
     * bytes and headers. Both sent in position order, and equal keys go to equal partitions.
     */
    private static boolean sameRecords(KafkaBroker broker) {
        List<ConsumerRecord<byte[], byte[]>> tidings = firstOfPartition0(broker, "bench-tidings");
        List<ConsumerRecord<byte[], byte[]>> plain = firstOfPartition0(broker, "bench-plain");
        if (tidings.isEmpty() || tidings.size() != plain.size()) {
            return false;
        }
        for (int i = 0; i < tidings.size(); i++) {
            ConsumerRecord<byte[], byte[]> one = tidings.get(i);
            ConsumerRecord<byte[], byte[]> other = plain.get(i);
            if (!Arrays.equals(one.key(), other.key()) || !Arrays.equals(one.value(), other.value())
                    || !Arrays.equals(one.headers().toArray(), other.headers().toArray())) {
                System.out.println("kafka: records differ: " + new String(one.value(), StandardCharsets.UTF_8) + " vs "
                        + new String(other.value(), StandardCharsets.UTF_8));
                return false;
            }
        }
        return true;
    }

    private static List<ConsumerRecord<byte[], byte[]>> firstOfPartition0(KafkaBroker broker, String topic) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records.subList(0, Math.min(100, records.size()));
    }

    /**
     * {@code count} deliveries to the webhook, spread over {@link #KEYS} keys; ordered, the later
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

    private static double plainProducerSeconds(KafkaBroker broker, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
            producer.partitionsFor(records.get(0).topic()); // metadata first, as the sink's producer has it by then
            long started = System.nanoTime();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            records.forEach(record -> acks.add(producer.send(record)));
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    // Waiting on the topic's end offsets, not on count(*) queries that would compete with the reader.
    static void awaitOffsets(KafkaBroker broker, String topic, long count) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(),
                    new TopicPartition(topic, 1), OffsetSpec.latest(), new TopicPartition(topic, 2), OffsetSpec.latest());
            WebhookReceiver.await(() -> {
                try {
                    return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum() >= count;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofMinutes(30), () -> "fewer than " + count + " records on " + topic);
        }
    }
}
