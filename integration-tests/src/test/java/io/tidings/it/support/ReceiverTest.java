package io.tidings.it.support;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What most delivery tests start from: an empty outbox, the test clock at the real time, and a
 * webhook receiver of the test's own. A subclass' {@code @BeforeEach} runs after these.
 */
public abstract class ReceiverTest extends EmptyDatabaseTest {

    @Inject
    protected TestClock clock;
    protected WebhookReceiver receiver;

    @BeforeEach
    void startClockAndReceiver() {
        clock.reset();
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }
}
