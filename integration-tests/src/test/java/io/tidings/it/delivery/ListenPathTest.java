package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.delivery.internal.DeliveryWorker;
import io.tidings.delivery.internal.OutboxListener;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.HourlyPoll;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.WebhookReceiver;

/**
 * With the poll an hour apart, a delivery that arrives within seconds of the commit can only have
 * been woken by the notification: the test checks that causal path, not a time.
 */
@QuarkusTest
@TestProfile(HourlyPoll.class)
class ListenPathTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Outbox outbox;
    @Inject
    DeliveryWorker worker;
    @Inject
    OutboxListener listener;

    @BeforeEach
    void setUp() {
        WebhookReceiver.await(() -> listener.isConnected() && worker.lastCycleCompletedAt() != null, WAIT,
                () -> "the worker did not start listening");
    }

    @Test
    void an_idle_worker_sends_a_committed_event_when_notified_without_waiting_for_the_poll() {
        db.webhook(receiver.url("/hook"), true, "*");

        record();

        receiver.awaitRequests("/hook", 1, WAIT);
    }

    @Test
    void the_listener_reconnects_when_its_connection_is_killed_and_notifications_flow_again() {
        long before = listener.connections();
        long killed = db.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = ?",
                listener.backendPid());
        assertThat(killed).isEqualTo(1);
        WebhookReceiver.await(() -> listener.connections() > before && listener.isConnected(), WAIT,
                () -> "the listener did not reconnect");
        db.webhook(receiver.url("/hook"), true, "*");

        record();

        receiver.awaitRequests("/hook", 1, WAIT);
    }

    private void record() {
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create("Apollo", null, Instant.now()))));
    }
}
