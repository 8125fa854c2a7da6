package io.tidings.analytics.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.scheduler.Scheduled;
import io.tidings.api.internal.Tenants;
import io.tidings.http.internal.HttpPost;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.EventCounts;
import io.tidings.outbox.internal.Subscribers;

/**
 * Records {@code installation:heartbeat} once a UTC day, for the day before, from whichever
 * instance takes that day first; only while telemetry export is on, so that an installation whose
 * operator has not opted in counts nothing. Instances look every hour.
 */
@Singleton
public class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AnalyticsConfig config;
    @Inject
    Installation installation;
    @Inject
    EventCounts events;
    @Inject
    Subscribers subscribers;
    @Inject
    Tenants tenants;
    @Inject
    Outbox outbox;
    @Inject
    Clock clock;

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void hourly() {
        try {
            beat().ifPresent(id -> LOG.debugf("Recorded the installation heartbeat %s", id));
        } catch (RuntimeException | SQLException e) {
            LOG.warnf("The installation heartbeat was not recorded (tried again within the hour): %s", e.getMessage());
        }
    }

    /** Records yesterday's heartbeat unless telemetry is off or an instance has already. @return its event id */
    @Transactional
    public Optional<UUID> beat() throws SQLException {
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        if (!config.active() || !installation.takeHeartbeat(yesterday)) {
            return Optional.empty();
        }
        return Optional.of(outbox.registerEvent(new HeartbeatEvent(counts(yesterday))).getId());
    }

    private ObjectNode counts(LocalDate day) throws SQLException {
        ObjectNode counts = JSON.createObjectNode().put("version", HttpPost.version()).put("day", day.toString());
        ArrayNode perType = counts.putArray("events");
        Map<String, Long> recorded = events.recorded(day.atStartOfDay().toInstant(ZoneOffset.UTC),
                day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        recorded.forEach((type, count) -> perType.addObject().put("type", type).put("count", bucket(count)));
        long[] webhooksAndStreams = subscribers.webhooksAndStreams();
        return counts.put("webhooks", bucket(webhooksAndStreams[0])).put("streams", bucket(webhooksAndStreams[1]))
                .put("tenants", bucket(tenants.count()));
    }

    /** A count as its power of ten: 0, 1-9, 10-99, ... up to 1000000+. */
    static String bucket(long count) {
        if (count <= 0) {
            return "0";
        }
        if (count >= 1_000_000) {
            return "1000000+";
        }
        long low = 1;
        while (low * 10 <= count) {
            low *= 10;
        }
        return low + "-" + (low * 10 - 1);
    }
}
