package io.tidings.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.DeliverySender;

/**
 * A subscriber kind for a host application's tests, {@value #KIND}: it keeps what it is sent in
 * memory instead of sending it anywhere, so that a test asserts what a subscriber would have
 * received, through the outbox, the worker and the routing as they run, with no HTTP. Add one with
 * the sinks API ({@code POST /api/sinks {"name": "...", "kind": "collected", "target": {},
 * "eventTypes": ["order:*"]}}, the admin key) and let the worker run.
 */
@Singleton
public class CollectedMessages implements DeliverySender {

    public static final String KIND = "collected";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one subscriber was sent. */
    public record Message(UUID subscriberId, UUID eventId, String eventType, UUID tenantId, JsonNode payload) {
    }

    private final List<Message> received = new CopyOnWriteArrayList<>();

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CompletionStage<AttemptResult> send(ClaimedDelivery delivery) {
        try {
            received.add(new Message(delivery.subscriberId(), delivery.eventId(), delivery.eventType(), delivery.tenantId(),
                    JSON.readTree(delivery.payload())));
        } catch (java.io.IOException e) {
            return CompletableFuture.completedFuture(AttemptResult.failed(Instant.now(), Duration.ZERO, e.getMessage()));
        }
        return CompletableFuture.completedFuture(AttemptResult.delivered(Instant.now(), Duration.ZERO, null));
    }

    /** Every message sent so far, in the order the worker sent them. */
    public List<Message> all() {
        return List.copyOf(received);
    }

    /** Forgets them, for the next test. */
    public void clear() {
        received.clear();
    }
}
