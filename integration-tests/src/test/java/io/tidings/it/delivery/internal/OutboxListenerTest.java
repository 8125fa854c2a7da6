package io.tidings.it.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.delivery.internal.OutboxListener;
import io.tidings.it.support.HourlyPoll;
import io.tidings.it.support.WebhookReceiver;

@QuarkusTest
@TestProfile(HourlyPoll.class)
class OutboxListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** More than this application ever holds at once, so borrowing them draws every idle one. */
    private static final int MORE_THAN_IDLE = 16;

    @Inject
    OutboxListener listener;
    @Inject
    DataSource dataSource;

    @Test
    void a_stopped_listener_gives_its_connection_back_to_the_pool_no_longer_listening() throws Exception {
        WebhookReceiver.await(listener::isConnected, WAIT, () -> "the listener did not connect");
        int pid = listener.backendPid();

        listener.stop(null);
        try {
            Map<Integer, Long> channelsByPid = listeningChannelsOfPooledConnections();
            assertThat(channelsByPid).as("the listener's connection is back in the pool").containsKey(pid);
            assertThat(channelsByPid.get(pid)).as("channels it still listens on").isZero();
        } finally {
            listener.start(null);
        }
        WebhookReceiver.await(listener::isConnected, WAIT, () -> "the listener did not start again");
    }

    private Map<Integer, Long> listeningChannelsOfPooledConnections() throws SQLException {
        Map<Integer, Long> channelsByPid = new HashMap<>();
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < MORE_THAN_IDLE; i++) {
                Connection connection = dataSource.getConnection();
                held.add(connection);
                channelsByPid.put(connection.unwrap(PGConnection.class).getBackendPID(), listeningChannels(connection));
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        return channelsByPid;
    }

    private static long listeningChannels(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_listening_channels()")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
