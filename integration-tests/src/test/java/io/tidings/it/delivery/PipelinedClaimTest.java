package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.internal.DeliveryQueue;
import io.tidings.delivery.internal.DeliveryStatus;
import io.tidings.delivery.internal.Outcome;
import io.tidings.delivery.internal.RetryPolicy;
import io.tidings.it.support.EmptyDatabaseTest;

/**
 * Claims that bring each key's parked followers along, as for a kafka sink: four claimers racing
 * (as four instances would, each on its own connection) never hold one key at the same time, and
 * each key's deliveries are claimed in event order, without a gap, even after a failure.
 */
@QuarkusTest
class PipelinedClaimTest extends EmptyDatabaseTest {

    private static final int KEYS = 40;
    private static final int PER_KEY = 25;
    private static final Set<String> KINDS = Set.of("kafka");

    @Inject
    DeliveryQueue repository;

    @Test
    void racing_claimers_never_share_a_key_and_each_key_goes_in_event_order() throws Exception {
        UUID sink = UUID.randomUUID();
        db.update("INSERT INTO subscribers (id, kind, all_tenants, ordered, target) VALUES (?, 'kafka', true, true, '{}')", sink);
        db.update("""
                INSERT INTO events (id, kind, type, occurred_at, project_id, project_name)
                SELECT tidings_uuid_v7(), 'project', 'project:created', now(), gen_random_uuid(), 'P' FROM generate_series(1, ?)
                """, KEYS * PER_KEY);
        db.update("""
                INSERT INTO deliveries (event_id, subscriber_id, payload, ordering_key, next_attempt_at)
                SELECT e.id, ?, '{}', 'key-' || (n % ?), CASE WHEN n > ? THEN 'infinity'::timestamptz ELSE now() END
                  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM events) e
                """, sink, KEYS, KEYS);

        Map<String, List<UUID>> claimedInOrder = new ConcurrentHashMap<>();
        Map<String, Integer> holders = new ConcurrentHashMap<>();
        boolean failedOnce = false;
        String retryLast = null;
        for (int round = 0; round < 200 && db.count("SELECT count(*) FROM deliveries WHERE status <> 'delivered'") > 0; round++) {
            List<List<ClaimedDelivery>> claims = race();
            for (int claimer = 0; claimer < claims.size(); claimer++) {
                for (ClaimedDelivery delivery : claims.get(claimer)) {
                    Integer other = holders.putIfAbsent(delivery.orderingKey(), claimer);
                    assertThat(other == null || other == claimer).as("key %s held by claimers %s and %s at once",
                            delivery.orderingKey(), other, claimer).isTrue();
                }
            }
            List<ClaimedDelivery> all = claims.stream().flatMap(List::stream).toList();
            // the first round's first delivery fails once: its followers in that claim are held back too
            List<Outcome> outcomes = new ArrayList<>();
            String failedKey = failedOnce || all.isEmpty() ? null : all.get(0).orderingKey();
            failedOnce |= failedKey != null;
            for (ClaimedDelivery delivery : all) {
                boolean fails = delivery.orderingKey().equals(failedKey);
                if (!fails) {
                    claimedInOrder.computeIfAbsent(delivery.orderingKey(), k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(delivery.eventId());
                }
                outcomes.add(outcome(delivery, fails));
            }
            repository.record(outcomes);
            holders.clear();
            if (failedKey != null) {
                // the held-back ones' retries come due first: still none of them may overtake the first
                db.update("UPDATE deliveries SET next_attempt_at = now() WHERE status = 'pending' AND next_attempt_at < 'infinity' "
                        + "AND ordering_key = ? AND event_id > (SELECT event_id FROM deliveries WHERE ordering_key = ? "
                        + "AND status = 'pending' ORDER BY event_id LIMIT 1)", failedKey, failedKey);
                retryLast = failedKey;
            } else if (retryLast != null) {
                db.update("UPDATE deliveries SET next_attempt_at = now() WHERE status = 'pending' AND next_attempt_at < 'infinity' "
                        + "AND ordering_key = ?", retryLast);
                retryLast = null;
            }
        }

        assertThat(db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'")).isEqualTo(KEYS * PER_KEY);
        assertThat(claimedInOrder).hasSize(KEYS);
        Map<String, List<UUID>> expected = new HashMap<>();
        for (Map<String, Object> row : db.rows("SELECT ordering_key, event_id FROM deliveries ORDER BY event_id")) {
            expected.computeIfAbsent((String) row.get("ordering_key"), k -> new ArrayList<>()).add((UUID) row.get("event_id"));
        }
        claimedInOrder.forEach((key, delivered) -> assertThat(delivered).as(key).containsExactlyElementsOf(expected.get(key)));
        assertThat(failedOnce).isTrue();
    }

    // Four claims at once, each of up to 5 heads with 4 followers each.
    private List<List<ClaimedDelivery>> race() {
        Instant now = Instant.now();
        List<CompletableFuture<List<ClaimedDelivery>>> claims = new ArrayList<>();
        for (int claimer = 0; claimer < 4; claimer++) {
            claims.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return repository.claim(now, KINDS, Set.of(), 5, 5, 4, Duration.ofMinutes(1));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        return claims.stream().map(CompletableFuture::join).toList();
    }

    private static Outcome outcome(ClaimedDelivery delivery, boolean fails) {
        Instant now = Instant.now();
        AttemptResult result = fails ? AttemptResult.failed(now, Duration.ofMillis(1), "TimeoutException: expired")
                : AttemptResult.delivered(now, Duration.ofMillis(1), "t-0@1");
        return new Outcome(delivery, result, fails
                ? new RetryPolicy.Decision(DeliveryStatus.PENDING, now.plusSeconds(3600), result.error())
                : new RetryPolicy.Decision(DeliveryStatus.DELIVERED, now, null));
    }
}
