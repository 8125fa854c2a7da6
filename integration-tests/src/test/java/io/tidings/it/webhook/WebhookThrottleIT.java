package io.tidings.it.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.Sql;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Request;

/**
 * A webhook's {@code maxPerSecond} holds over the cluster: two instances draining one backlog send
 * it at the rate together, not each, and the deliveries it holds back wait without failing.
 */
class WebhookThrottleIT {

    private static final int RATE = 20;
    private static final int EVENTS = 400;
    // A poll slower than the pace: the worker must come back for a throttled backlog of its own accord.
    private static final Map<String, String> CONFIG = Map.of("tidings.worker.poll-interval", "5s");

    @Test
    void two_instances_together_send_a_throttled_webhook_its_rate() {
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            Sql sql = database.sql();
            UUID throttled;
            UUID free;
            try (ServiceProcess first = ServiceProcess.start("throttle-first", database.jdbcUrl(), CONFIG);
                    ServiceProcess second = ServiceProcess.start("throttle-second", database.jdbcUrl(), CONFIG)) {
                throttled = sql.webhook(receiver.url("/throttled"), true, "*");
                sql.update("UPDATE subscribers SET max_per_second = ? WHERE id = ?", RATE, throttled);
                free = sql.webhook(receiver.url("/free"), true, "*");
                database.outbox(EVENTS, throttled);
                database.outbox(EVENTS, free);

                WebhookReceiver.await(() -> delivered(sql, throttled) == EVENTS, Duration.ofMinutes(2),
                        () -> "delivered: " + delivered(sql, throttled));
                assertThat(delivered(sql, free)).as("the other webhook, whose backlog went out meanwhile").isEqualTo(EVENTS);
            }

            List<Instant> arrivals = receiver.requests("/throttled").stream().map(Request::receivedAt).sorted().toList();
            assertThat(arrivals).hasSize(EVENTS);
            // A claim may run up to one poll interval ahead of the pace: the first second holds that burst.
            Instant steadyFrom = arrivals.get(0).plusSeconds(1);
            long steady = arrivals.stream().filter(arrival -> arrival.isAfter(steadyFrom)).count();
            double seconds = Duration.between(steadyFrom, arrivals.get(EVENTS - 1)).toMillis() / 1000.0;
            long busiest = arrivals.stream().filter(arrival -> arrival.isAfter(steadyFrom))
                    .mapToLong(from -> arrivals.stream().filter(a -> !a.isBefore(from) && a.isBefore(from.plusSeconds(1))).count())
                    .max().orElseThrow();
            System.out.printf("throttled webhook: %d messages in %.1f s after the first second, %.1f a second (limit %d); "
                    + "the busiest second had %d%n", steady, seconds, steady / seconds, RATE, busiest);
            assertThat(steady / seconds).as("messages a second over both instances").isBetween(RATE * 0.9, RATE * 1.1);
            assertThat(busiest).as("a second's worth ahead of the pace at most").isLessThanOrEqualTo(2 * RATE);
            assertThat(sql.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND attempts <> 1", throttled))
                    .as("deliveries held back spent no attempt").isZero();
            assertThat(sql.count("SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
                    + "WHERE d.subscriber_id = ?", throttled)).isEqualTo(EVENTS);
        }
    }

    private static long delivered(Sql sql, UUID subscriber) {
        return sql.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND status = 'delivered'", subscriber);
    }
}
