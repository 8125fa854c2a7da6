package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;

/** Ordered webhooks: per project (the example's ordering key), one delivery at a time, in the order recorded. */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class OrderedDeliveryTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Outbox outbox;

    /** What the receiver answered, in the order it answered. */
    private record Answer(UUID event, int status, String body) {
    }

    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());

    @Test
    void a_failing_delivery_holds_the_later_ones_of_its_key_and_only_those() {
        Project a = project("A");
        Project b = project("B");
        receiver.replyWith(request -> answer(request, about(request, a) && sentFor(a).isEmpty() ? 500 : 204));
        ordered(db.webhook(receiver.url("/ordered"), true, "*"));
        UUID a1 = record(a);
        UUID b1 = record(b);
        UUID a2 = record(a);
        UUID b2 = record(b);
        UUID a3 = record(a);

        awaitAnswered(b2);
        assertThat(sentFor(b)).as("B flows while A's first waits for its retry").containsExactly(b1, b2);
        assertThat(sentFor(a)).containsExactly(a1);

        clock.advance(Duration.ofSeconds(6));
        awaitAnswered(a3);
        assertThat(sentFor(a)).containsExactly(a1, a1, a2, a3);
    }

    @Test
    void an_unordered_webhook_sends_the_later_ones_of_a_key_while_one_waits() {
        Project a = project("A");
        receiver.replyWith(request -> answer(request, request.body().contains("held back") ? 500 : 204));
        db.webhook(receiver.url("/unordered"), true, "*");
        a.description = "held back";
        UUID first = record(a);
        a.description = "sent on";
        UUID second = record(a);

        awaitAnswered(second);
        // the two go at once, on two connections: the first's 500 may come after the second's 204
        WebhookReceiver.await(() -> sentFor(a).contains(first), WAIT, () -> "the first one was never sent");
        assertThat(sentFor(a)).containsExactlyInAnyOrder(first, second);
        WebhookReceiver.await(() -> "pending".equals(db.value("SELECT status FROM deliveries WHERE event_id = ?", first)), WAIT,
                () -> "the first one's failure was not written");
    }

    @Test
    void a_dead_delivery_lets_the_next_of_its_key_go() {
        Project a = project("A");
        receiver.replyWith(request -> answer(request, sentFor(a).isEmpty() ? 410 : 204));
        ordered(db.webhook(receiver.url("/gone-then-fine"), true, "*"));
        UUID first = record(a);
        UUID second = record(a);
        UUID third = record(a);

        awaitAnswered(third);
        assertThat(sentFor(a)).containsExactly(first, second, third);
        assertThat(db.value("SELECT status FROM deliveries WHERE event_id = ?", first)).isEqualTo("dead");
    }

    @Test
    void a_parked_delivery_whose_turn_came_unnoticed_is_found_by_the_poll() {
        Project a = project("A");
        receiver.replyWith(request -> answer(request, 204));
        UUID event = record(a);
        UUID webhook = db.webhook(receiver.url("/stranded"), true, "*");
        ordered(webhook);
        // As if its predecessor finished while this row was being written: parked, with nothing before it.
        db.update("INSERT INTO deliveries (event_id, subscriber_id, payload, ordering_key, next_attempt_at) "
                + "VALUES (?, ?, '{}', ?, 'infinity')", event, webhook, a.id.toString());
        clock.advance(Duration.ofSeconds(31));

        awaitAnswered(event);
    }

    @Test
    void under_random_failures_every_key_is_delivered_in_the_order_recorded() {
        Random random = new Random(42);
        // At most two failures each, so that none runs out of attempts (the schedule allows three).
        receiver.replyWith(request -> answer(request, random(random) < 0.3 && failures(request) < 2 ? 503 : 204));
        ordered(db.webhook(receiver.url("/flaky"), true, "*"));
        List<Project> projects = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            projects.add(project("P" + i));
        }
        Map<UUID, List<UUID>> recorded = new HashMap<>();
        for (int i = 0; i < 120; i++) {
            Project project = projects.get(random(random) < 0.5 ? 0 : i % projects.size());
            recorded.computeIfAbsent(project.id, k -> new ArrayList<>()).add(record(project));
        }

        WebhookReceiver.await(() -> {
            clock.advance(Duration.ofSeconds(6));
            return db.count("SELECT count(*) FROM deliveries WHERE status <> 'delivered'") == 0;
        }, Duration.ofSeconds(60), () -> "undelivered: " + db.rows("SELECT event_id, ordering_key, status, attempts, next_attempt_at::text, "
                + "(SELECT count(*) FROM deliveries o WHERE o.ordering_key = d.ordering_key AND o.event_id < d.event_id "
                + "AND o.status IN ('pending', 'in_flight')) AS earlier FROM deliveries d WHERE status <> 'delivered'"));

        for (Project project : projects) {
            List<UUID> expected = recorded.getOrDefault(project.id, List.of());
            List<UUID> delivered = new ArrayList<>();
            for (Answer answer : List.copyOf(answers)) {
                if (answer.body().contains(project.id.toString())) {
                    assertThat(answer.event()).as("a request of %s after %s delivered", project.name, delivered.size())
                            .isEqualTo(expected.get(delivered.size()));
                    if (answer.status() == 204) {
                        delivered.add(answer.event());
                    }
                }
            }
            assertThat(delivered).isEqualTo(expected);
        }
        assertThat(answers.stream().filter(answer -> answer.status() == 503)).as("the failures happened").hasSizeGreaterThan(10);
    }

    private synchronized double random(Random random) {
        return random.nextDouble();
    }

    private Reply answer(WebhookReceiver.Request request, int status) {
        answers.add(new Answer(UUID.fromString(request.webhookId()), status, request.body()));
        return Reply.status(status);
    }

    private long failures(WebhookReceiver.Request request) {
        return List.copyOf(answers).stream()
                .filter(answer -> answer.event().toString().equals(request.webhookId()) && answer.status() >= 300).count();
    }

    private static boolean about(WebhookReceiver.Request request, Project project) {
        return request.body().contains(project.id.toString());
    }

    /** The events of the project the receiver was asked to take, in the order asked, retries included. */
    private List<UUID> sentFor(Project project) {
        return List.copyOf(answers).stream().filter(answer -> answer.body().contains(project.id.toString()))
                .map(Answer::event).toList();
    }

    private void awaitAnswered(UUID event) {
        WebhookReceiver.await(() -> List.copyOf(answers).stream().anyMatch(a -> a.event().equals(event) && a.status() < 300),
                WAIT, () -> "answers: " + answers.size() + "; deliveries: "
                        + db.rows("SELECT event_id, status, attempts, next_attempt_at FROM deliveries ORDER BY event_id"));
    }

    private void ordered(UUID webhook) {
        db.update("UPDATE subscribers SET ordered = true WHERE id = ?", webhook);
    }

    private static Project project(String name) {
        return Project.create(name, "ordered", Instant.now());
    }

    private UUID record(Project project) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(new ProjectEvent("project:updated", project))).getId();
    }
}
