package io.tidings.sink.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.BySubscriber;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.sink.SinkRecordFormat;
import io.tidings.stream.StreamSender;

/**
 * The {@code kafka} kind, a stream: each event becomes one record on the subscriber's topic, keyed
 * by the event's ordering key (its aggregate), with the event id, type, tenant and schema version as
 * headers, in the order the stream reads them. The producer is idempotent with {@code acks=all},
 * which keeps a partition's records in the order they were sent; a batch is answered when the
 * broker acknowledges its records. A retriable error (broker down, no leader, a topic that does not
 * exist yet) makes the stream send again from that record on; any other (record too large, not
 * authorized) makes the record a dead delivery with its reason.
 *
 * <p>Settings ({@code target}): {@code bootstrap_servers}, {@code topic}, and {@code properties}
 * for the producer (SASL, TLS: {@code security.protocol}, {@code sasl.mechanism}, and so on), where
 * {@code ${secret}} stands for the sink's sealed secret.
 */
@Singleton
public class KafkaSender implements StreamSender {

    public static final String KIND = "kafka";
    static final String EVENT_ID = "tidings-event-id";
    static final String EVENT_TYPE = "tidings-event-type";
    static final String TENANT = "tidings-tenant";
    static final String SCHEMA_VERSION = "tidings-schema-version";
    // Beyond the producer's own delivery timeout, before a batch counts as lost in the client.
    private static final Duration ACK_GRACE = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(KafkaSender.class);

    private final Map<UUID, Producer> producers = new ConcurrentHashMap<>();
    // send() blocks while it waits for the topic's metadata: never on the caller's thread.
    private final Map<UUID, ExecutorService> lanes = new ConcurrentHashMap<>();
    private final ExecutorService waiting = Executors.newCachedThreadPool(runnable -> daemon(runnable, "tidings-kafka-ack"));
    private final SinkRecordFormat records;
    private final Clock clock;

    /** A producer with the settings it was made from, so that a changed sink gets a new one. */
    private record Producer(String settings, KafkaProducer<byte[], byte[]> client, String topic, Duration deliveryTimeout) {
    }

    @Inject
    public KafkaSender(SinkRecordFormat records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int recordsPerBatch() {
        return 2000;
    }

    // Waiting for the topic's metadata, then for the acknowledgements, then the grace after them.
    @Override
    public Duration longestAttempt() {
        return Duration.ofMillis(ProducerSettings.MAX_BLOCK_MS + ProducerSettings.DELIVERY_TIMEOUT_MS).plus(ACK_GRACE);
    }

    @Override
    public void checkTarget(ObjectNode target) {
        if (target.path("bootstrap_servers").asText("").isBlank()) {
            throw new InvalidTarget("bootstrap_servers", "bootstrap_servers is required, such as broker-1:9092,broker-2:9092");
        }
        if (!target.path("topic").asText("").matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new InvalidTarget("topic", "topic must be 1 to 249 letters, digits, '.', '_' or '-'");
        }
        if (target.has("properties") && !target.path("properties").isObject()) {
            throw new InvalidTarget("properties", "properties must be an object of producer settings");
        }
        String raised = target.has("properties") ? ProducerSettings.raisedBound((ObjectNode) target.path("properties")) : null;
        if (raised != null) {
            throw new InvalidTarget("properties." + raised, raised + " must be a number of milliseconds no greater than "
                    + "Tidings' default (max.block.ms 10000, delivery.timeout.ms 30000): the stream's lease is sized from them");
        }
    }

    @Override
    public CompletionStage<List<AttemptResult>> sendBatch(List<ClaimedDelivery> batch) {
        return BySubscriber.each(batch, this::publish);
    }

    // One subscriber's batches reach the producer one after another, on a thread of its own, in the
    // order they were handed over; their records are made before, on the caller's thread, and the
    // wait for their acknowledgements runs apart, so that the lane does nothing but send.
    private CompletableFuture<List<AttemptResult>> publish(List<ClaimedDelivery> part) {
        Instant started = clock.instant();
        long startedNanos = System.nanoTime();
        List<Outgoing> outgoing = outgoing(part);
        ExecutorService lane = lanes.computeIfAbsent(part.get(0).subscriberId(), id -> Executors.newSingleThreadExecutor(
                runnable -> daemon(runnable, "tidings-kafka-send")));
        return CompletableFuture.supplyAsync(() -> sendAll(part.get(0), outgoing), lane)
                .thenApplyAsync(sent -> outcomes(sent, part.size(), started, startedNanos), waiting);
    }

    /** Nothing was sent, for a reason that may pass: the stream tries again. */
    static final class ProducerUnavailable extends RetriableException {
        ProducerUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A record to send, or why the event could not become one. */
    private record Outgoing(ProducerRecord<byte[], byte[]> record, RuntimeException refused) {
    }

    private List<Outgoing> outgoing(List<ClaimedDelivery> part) {
        String topic = part.get(0).target().path("topic").asText();
        List<Outgoing> outgoing = new ArrayList<>(part.size());
        for (ClaimedDelivery delivery : part) {
            try {
                outgoing.add(new Outgoing(record(topic, delivery), null));
            } catch (RuntimeException e) {
                outgoing.add(new Outgoing(null, e));
            }
        }
        return outgoing;
    }

    /** What a batch handed to its producer: the acknowledgements to wait for, and until when. */
    private record Sent(Producer producer, List<Future<RecordMetadata>> acks, long deadlineNanos) {
    }

    private Sent sendAll(ClaimedDelivery first, List<Outgoing> outgoing) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(outgoing.size());
        Producer producer;
        try {
            producer = producer(first);
        } catch (RuntimeException e) {
            // settings the client refuses: the stream waits, showing why, until the sink is changed
            acks.add(CompletableFuture.failedFuture(new ProducerUnavailable("the producer cannot start: " + e.getMessage(), e)));
            return new Sent(null, acks, System.nanoTime());
        }
        for (Outgoing one : outgoing) {
            Future<RecordMetadata> ack = one.refused() != null ? CompletableFuture.failedFuture(one.refused())
                    : producer.client().send(one.record());
            acks.add(ack);
            if (ack.isDone() && failedAtOnce(ack) instanceof RetriableException) {
                break; // no metadata (broker down, topic missing): the rest would wait as long, each
            }
        }
        return new Sent(producer, acks, System.nanoTime() + producer.deliveryTimeout().plus(ACK_GRACE).toNanos());
    }

    private List<AttemptResult> outcomes(Sent sent, int size, Instant started, long startedNanos) {
        List<AttemptResult> results = new ArrayList<>(size);
        for (Future<RecordMetadata> ack : sent.acks()) {
            results.add(outcome(ack, sent, started, startedNanos));
        }
        while (results.size() < size) {
            results.add(AttemptResult.failed(started, Duration.ZERO, "not sent: an earlier record of the batch failed"));
        }
        return results;
    }

    private ProducerRecord<byte[], byte[]> record(String topic, ClaimedDelivery delivery) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_ID, bytes(delivery.eventId().toString()));
        headers.add(EVENT_TYPE, bytes(delivery.eventType()));
        if (delivery.tenantId() != null) {
            headers.add(TENANT, bytes(delivery.tenantId().toString()));
        }
        headers.add(SCHEMA_VERSION, bytes(String.valueOf(records.schemaVersion(delivery))));
        headers.add("content-type", bytes("application/json"));
        if (delivery.traceparent() != null) {
            headers.add("traceparent", bytes(delivery.traceparent()));
            if (delivery.tracestate() != null) {
                headers.add("tracestate", bytes(delivery.tracestate()));
            }
        }
        byte[] key = delivery.orderingKey() == null ? null : bytes(delivery.orderingKey());
        return new ProducerRecord<>(topic, null, key, bytes(records.json(delivery)), headers);
    }

    /** @return why a send that completed at once failed, or null when it succeeded */
    private static Throwable failedAtOnce(Future<RecordMetadata> ack) {
        try {
            ack.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProducerUnavailable("interrupted", e);
        }
    }

    private AttemptResult outcome(Future<RecordMetadata> ack, Sent sent, Instant started, long startedNanos) {
        try {
            RecordMetadata metadata = ack.get(Math.max(0, sent.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
            return AttemptResult.delivered(started, Duration.ofNanos(System.nanoTime() - startedNanos),
                    metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset());
        } catch (ExecutionException e) {
            return failure(started, startedNanos, e.getCause());
        } catch (TimeoutException e) {
            discard(sent.producer());
            return failure(started, startedNanos, new org.apache.kafka.common.errors.TimeoutException(
                    "no acknowledgement within the producer's delivery timeout; its producer is closed, so that no copy "
                    + "held back in it arrives after the records sent again"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(started, startedNanos, e);
        }
    }

    // The client once kept a batch past delivery.timeout.ms with the broker away, without completing
    // it: the stream would wait for ever. Closing at once fails what it still holds.
    private void discard(Producer producer) {
        if (producers.values().remove(producer)) {
            LOG.warnf("Closing the producer of topic %s: records it held were not acknowledged in time", producer.topic());
            producer.client().close(Duration.ZERO);
        }
    }

    // A retriable error waits for the next attempt; anything else will never be accepted.
    private static AttemptResult failure(Instant started, long startedNanos, Throwable error) {
        AttemptResult failed = AttemptResult.failed(started, Duration.ofNanos(System.nanoTime() - startedNanos),
                error.getClass().getSimpleName() + ": " + error.getMessage());
        return error instanceof RetriableException ? failed : failed.asGone(failed.error());
    }

    private Producer producer(ClaimedDelivery delivery) {
        String settings = delivery.target().toString() + delivery.secrets();
        Producer current = producers.compute(delivery.subscriberId(), (id, existing) -> {
            if (existing != null && existing.settings().equals(settings)) {
                return existing;
            }
            if (existing != null) {
                existing.client().close(Duration.ofSeconds(5));
            }
            Map<String, Object> config = ProducerSettings.of(delivery.target(), delivery.secrets());
            return new Producer(settings, new KafkaProducer<>(config), delivery.target().path("topic").asText(),
                    Duration.ofMillis(Long.parseLong(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).toString())));
        });
        return current;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        producers.values().forEach(producer -> producer.client().close(Duration.ofSeconds(5)));
        lanes.values().forEach(ExecutorService::shutdown);
        waiting.shutdown();
    }
}
