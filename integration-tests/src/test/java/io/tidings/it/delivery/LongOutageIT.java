package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver.Request;

/**
 * Two instances hold deliveries whose receiver answers while the database is gone, for longer
 * than a lease. When it comes back, each writes its outcomes and renews what it holds before either
 * takes back expired leases: no message that was delivered is sent again.
 */
class LongOutageIT {

    private static final int EVENTS = 12;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> CONFIG = Map.of(
            "tidings.worker.lease", "3s",
            "tidings.worker.poll-interval", "1s",
            "tidings.delivery.timeout", "1s",
            "tidings.delivery.connect-timeout", "250ms");

    @Test
    void a_database_outage_longer_than_the_lease_sends_nothing_twice() throws Exception {
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            try (ServiceProcess first = ServiceProcess.start("outage-first", database.jdbcUrl(), CONFIG);
                    ServiceProcess second = ServiceProcess.start("outage-second", database.jdbcUrl(), CONFIG)) {
                CountDownLatch answer = new CountDownLatch(1);
                receiver.replyWith(request -> Reply.status(204).heldUntil(answer));
                UUID subscriber = database.sql().webhook(receiver.url("/hook"), true, "*");
                database.outbox(EVENTS, subscriber);
                receiver.awaitRequests("/hook", 4, WAIT);

                database.stop();
                answer.countDown(); // the sends complete while their outcomes cannot be written
                Thread.sleep(Duration.ofSeconds(8).toMillis()); // past the lease, and past its renewal
                receiver.replyWith(request -> Reply.status(204));
                database.restart();

                WebhookReceiver.await(() -> delivered(database) == EVENTS, WAIT,
                        () -> "delivered " + delivered(database) + " of " + EVENTS + "; see target/it-logs/outage-*.log");
            }
            Map<String, Long> perMessage = receiver.requests("/hook").stream()
                    .collect(Collectors.groupingBy(Request::webhookId, Collectors.counting()));
            assertThat(perMessage).hasSize(EVENTS);
            assertThat(perMessage).as("messages sent more than once").allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        }
    }

    private static long delivered(ItDatabase database) {
        try {
            return database.sql().count("SELECT count(*) FROM deliveries WHERE status = 'delivered'");
        } catch (IllegalStateException stillDown) {
            return -1;
        }
    }
}
