package io.tidings.ops.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.inject.Inject;
import io.tidings.delivery.internal.OutboxStats;

/**
 * What the Dev UI card's outbox page shows, per subscriber kind: pending deliveries, how long the
 * oldest due one has waited, and how many went dead in the last hour. Its public methods are the
 * page's JSON-RPC calls; it exists in dev mode only.
 */
public class OutboxDevUi {

    @Inject
    OutboxStats stats;

    /** One row a kind that has pending or recently dead deliveries. */
    public record KindRow(String kind, long pending, long oldestDueSeconds, long deadLastHour) {
    }

    /** The card's label: how many deliveries are pending. */
    public String pendingLabel() throws SQLException {
        return stats.read().totalPending() + " pending";
    }

    public List<KindRow> outbox() throws SQLException {
        OutboxStats.Snapshot snapshot = stats.read();
        Map<String, Long> dead = stats.deadInTheLastHour();
        TreeSet<String> kinds = new TreeSet<>(snapshot.pending().keySet());
        kinds.addAll(dead.keySet());
        List<KindRow> rows = new ArrayList<>();
        for (String kind : kinds) {
            rows.add(new KindRow(kind, snapshot.pending().getOrDefault(kind, 0L),
                    Math.round(snapshot.oldestDueSeconds().getOrDefault(kind, 0.0)), dead.getOrDefault(kind, 0L)));
        }
        return rows;
    }
}
