package io.tidings.stream.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.outbox.internal.Subscriber;
import io.tidings.outbox.internal.TypePattern;
import io.tidings.secrets.internal.WebhookSecrets;

/** The enabled stream subscribers, with what each takes resolved against the registered event types. */
@Singleton
class StreamSubscribers {

    private static final String ENABLED = """
            SELECT s.id, s.kind, s.target::text, s.payload = 'telemetry', s.tenant_id, s.all_tenants, s.secret,
                   ARRAY(SELECT pattern FROM subscriptions p WHERE p.subscriber_id = s.id ORDER BY pattern)
              FROM subscribers s JOIN stream_cursors c ON c.subscriber_id = s.id
             WHERE s.enabled AND s.stream ORDER BY s.id""";

    private final DataSource dataSource;
    private final EventTypeRegistry types;
    private final WebhookSecrets secrets;

    @Inject
    StreamSubscribers(DataSource dataSource, EventTypeRegistry types, WebhookSecrets secrets) {
        this.dataSource = dataSource;
        this.types = types;
        this.secrets = secrets;
    }

    /**
     * A stream subscriber as its reader needs it.
     *
     * @param settings its target and secret as stored: a reader whose settings changed starts again with the new ones
     */
    record StreamSubscriber(UUID id, String kind, ObjectNode target, List<String> secrets, StreamLog.Selection selection,
            String settings) {
    }

    List<StreamSubscriber> enabled() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(ENABLED);
                ResultSet rows = select.executeQuery()) {
            List<StreamSubscriber> subscribers = new ArrayList<>();
            while (rows.next()) {
                boolean telemetry = rows.getBoolean(4);
                String sealed = rows.getString(7);
                List<String> patterns = List.of((String[]) rows.getArray(8).getArray());
                StreamLog.Selection selection = new StreamLog.Selection(typesOf(patterns, telemetry), rows.getBoolean(6),
                        rows.getObject(5, UUID.class), telemetry);
                subscribers.add(new StreamSubscriber(rows.getObject(1, UUID.class), rows.getString(2),
                        Subscriber.readTarget(rows.getString(3)), sealed == null ? List.of() : List.of(secrets.open(sealed)),
                        selection, rows.getString(3) + sealed + patterns + telemetry + rows.getObject(5) + rows.getBoolean(6)));
            }
            return subscribers;
        }
    }

    private String[] typesOf(List<String> patterns, boolean telemetry) {
        List<TypePattern> covering = patterns.stream().map(TypePattern::new).toList();
        return types.all().stream().filter(type -> !telemetry || type.telemetryAllowed()).map(EventType::name)
                .filter(name -> covering.stream().anyMatch(pattern -> pattern.matches(name))).toArray(String[]::new);
    }
}
