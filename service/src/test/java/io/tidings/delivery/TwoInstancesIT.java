package io.tidings.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.tidings.support.ItDatabase;
import io.tidings.support.ServiceProcess;
import io.tidings.support.Sql;
import io.tidings.support.WebhookReceiver;
import io.tidings.support.WebhookReceiver.Request;

/** Two instances drain one outbox together: everything arrives, and nothing twice while both stay up. */
class TwoInstancesIT {

    private static final int EVENTS = 10_000;
    private static final Map<String, String> CONFIG = Map.of("tidings.worker.poll-interval", "1s");

    @Test
    void two_instances_deliver_ten_thousand_events_each_exactly_once() {
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            Sql sql = database.sql();
            try (ServiceProcess first = ServiceProcess.start("two-first", database.jdbcUrl(), CONFIG);
                    ServiceProcess second = ServiceProcess.start("two-second", database.jdbcUrl(), CONFIG)) {
                UUID subscriber = sql.webhook(receiver.url("/hook"), true, "*");

                database.outbox(EVENTS, subscriber);

                WebhookReceiver.await(() -> sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == EVENTS,
                        Duration.ofMinutes(3), () -> "delivered: " + sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'"));
            }

            List<Request> requests = receiver.requests("/hook");
            Map<String, Long> perId = requests.stream().collect(Collectors.groupingBy(Request::webhookId, Collectors.counting()));
            assertThat(perId).hasSize(EVENTS);
            assertThat(perId.values().stream().filter(n -> n > 1).count()).as("messages sent twice").isZero();
            assertThat(sql.count("SELECT count(*) FROM delivery_attempts")).isEqualTo(EVENTS);
            assertThat(sql.rows("SELECT DISTINCT status FROM deliveries")).extracting(row -> row.get("status"))
                    .containsExactly("delivered");
        }
    }

}
