package io.tidings.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The events a block of a host application's test recorded and committed, as subscribers will see
 * them: their type, tenant and notification payload, in the order they were recorded. Read from the
 * outbox's own table, so only what a committed transaction recorded is there.
 *
 * <pre>{@code
 * List<RecordedEvents.Recorded> recorded = events.during(() -> given().post("/shop/orders").then().statusCode(201));
 * assertThat(recorded).extracting(Recorded::type).containsExactly("order:placed");
 * }</pre>
 */
@Singleton
public class RecordedEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SINCE = """
            SELECT id, type, tenant_id, notification FROM events WHERE recorded_at >= ? ORDER BY recorded_at, id
            """;

    /** One recorded event. @param tenantId null for an event of no tenant */
    public record Recorded(UUID id, String type, UUID tenantId, JsonNode payload) {
    }

    @Inject
    DataSource dataSource;
    @Inject
    Clock clock;

    /** Runs the block and answers what it recorded (and anything else that recorded meanwhile). */
    public List<Recorded> during(Runnable block) {
        OffsetDateTime start = OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        block.run();
        try (Connection connection = dataSource.getConnection(); PreparedStatement since = connection.prepareStatement(SINCE)) {
            since.setObject(1, start);
            List<Recorded> recorded = new ArrayList<>();
            try (ResultSet rows = since.executeQuery()) {
                while (rows.next()) {
                    recorded.add(new Recorded(rows.getObject(1, UUID.class), rows.getString(2), rows.getObject(3, UUID.class),
                            JSON.readTree(rows.getString(4))));
                }
            }
            return recorded;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not read the recorded events", e);
        }
    }
}
