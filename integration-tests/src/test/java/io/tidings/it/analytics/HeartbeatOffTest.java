package io.tidings.it.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.analytics.internal.Heartbeat;
import io.tidings.it.support.EmptyDatabaseTest;

/** With telemetry off, as it is unless an operator turns it on, the installation counts nothing. */
@QuarkusTest
class HeartbeatOffTest extends EmptyDatabaseTest {

    @Inject
    Heartbeat heartbeat;

    @Test
    void nothing_is_counted_or_recorded() throws Exception {
        db.update("UPDATE installation SET heartbeat_day = NULL");
        assertThat(heartbeat.beat()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM events")).isZero();
        assertThat(db.count("SELECT count(*) FROM installation WHERE heartbeat_day IS NOT NULL")).isZero();
    }
}
