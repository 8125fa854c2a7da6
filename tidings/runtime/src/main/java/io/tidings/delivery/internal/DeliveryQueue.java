package io.tidings.delivery.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.outbox.internal.Subscriber;
import io.tidings.outbox.internal.WorkerWakeUp;
import io.tidings.secrets.internal.WebhookSecrets;

/**
 * The worker's SQL on {@code deliveries} and {@code delivery_attempts}: claims, outcomes, leases.
 * Every statement takes or changes a whole batch of rows, and each method is one short transaction
 * of its own. What the API and the console read and do to deliveries is {@link DeliveryViews}.
 */
@ApplicationScoped
public class DeliveryQueue {

    // Settings for one statement: pgjdbc sends them in the same round trip as the statement, and
    // PostgreSQL runs both in one implicit transaction (or the caller's), so they end with it.
    // No JIT: on servers that ship with it on, compiling a claim cost 300 ms against 5 ms to run it.
    // Custom plans: each claim is planned for the outbox as it is now, never with a plan cached while
    // the tables were nearly empty (which scanned them whole once they were not).
    /** Settings for a cheap hot-path statement sent with it: a plan made for its values, and no JIT compilation. */
    public static final String HOT_PATH_SETTINGS =
            "SELECT set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true);\n";

    // Walk the subscribers that have pending deliveries, one probe of deliveries_claim_idx each, from
    // just after where the last claim of these kinds stopped round to there again, so that no
    // subscriber waits behind another's backlog and subscribers with nothing pending cost nothing.
    // Keep the enabled ones of these kinds that this instance does not already keep busy (a disabled
    // subscriber's rows stay parked); take each one's first :perSubscriber due rows in due order,
    // skipping rows other instances hold and rows of an ordered key that wait for an earlier one;
    // stop at :limit, which also stops the walk. For a sender that keeps a batch's order per key, each
    // head of an ordered key brings up to :followers of the parked deliveries right after it, in event
    // order, stopping at the first that is not parked (one waiting out a retry); rows come back in
    // event order. attempts counts claims, and doubles as the token of this claim.
    // A subscriber with max_per_second takes at most what its pace allows (see V28): the rows its
    // next_free_at leaves room for within :window of now, and no followers. Its throttle row is
    // locked for the claim; one another claim holds means none this time, and before the row exists
    // (its first claim) each claim takes one. The last step moves the pace on by what was claimed, so
    // that the rate holds over all instances.
    static final String CLAIM = HOT_PATH_SETTINGS + """
            WITH RECURSIVE pending (subscriber_id, lap, step) AS (
                SELECT ?::uuid, 0, 0
              UNION ALL
                SELECT next.subscriber_id, next.lap, p.step + 1
                  FROM pending p CROSS JOIN LATERAL (
                       (SELECT d.subscriber_id, p.lap FROM deliveries d
                         WHERE d.status = 'pending' AND d.subscriber_id > p.subscriber_id
                           AND d.subscriber_id <= CASE WHEN p.lap = 0 THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff' ELSE ?::uuid END
                         ORDER BY d.subscriber_id LIMIT 1)
                       UNION ALL
                       (SELECT d.subscriber_id, 1 FROM deliveries d
                         WHERE p.lap = 0 AND d.status = 'pending' AND d.subscriber_id <= ?::uuid
                         ORDER BY d.subscriber_id LIMIT 1)
                       LIMIT 1) next
            ), heads AS (
                SELECT due.id, p.step, s.kind, s.target, s.secret, s.receives_private_metadata, s.sealed_credentials, s.max_per_second,
                       (SELECT jsonb_agg(e -> 'secret') FROM jsonb_array_elements(s.previous_secrets) e
                         WHERE (e ->> 'expires_at')::timestamptz > ?)::text AS previous_secrets,
                       due.subscriber_id, due.ordering_key, due.event_id
                  FROM pending p
                 CROSS JOIN LATERAL (
                       SELECT s.* FROM subscribers s
                        WHERE p.step > 0 -- the walk's starting point, not a subscriber it reached
                          AND s.id = p.subscriber_id AND s.enabled AND s.kind = ANY (?) AND NOT (s.id = ANY (?))
                        LIMIT 1) s -- a probe per subscriber walked: without the limit, a join that reads them all
                 CROSS JOIN LATERAL (
                       SELECT CASE WHEN s.max_per_second IS NULL THEN ?::int ELSE greatest(0, least(?::int, coalesce(
                              (SELECT floor(s.max_per_second * extract(epoch FROM statement_timestamp() + ? * interval '1 ms'
                                                                   - greatest(t.next_free_at, statement_timestamp())))::int
                                 FROM delivery_throttles t WHERE t.subscriber_id = s.id FOR UPDATE SKIP LOCKED),
                              CASE WHEN EXISTS (SELECT 1 FROM delivery_throttles t WHERE t.subscriber_id = s.id) THEN 0
                                   ELSE 1 END))) END AS quota) q -- its first claim: one, however many claim at once
                 CROSS JOIN LATERAL (
                       SELECT d.id, d.subscriber_id, d.ordering_key, d.event_id FROM deliveries d
                        WHERE d.subscriber_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= ?
                          AND (d.ordering_key IS NULL OR NOT EXISTS (
                               SELECT 1 FROM deliveries o
                                WHERE o.subscriber_id = d.subscriber_id AND o.ordering_key = d.ordering_key
                                  AND o.event_id < d.event_id AND o.status IN ('pending', 'in_flight')))
                        ORDER BY d.next_attempt_at
                        LIMIT q.quota
                          FOR UPDATE SKIP LOCKED) due
                 LIMIT ?
            ), followers AS (
                SELECT f.id, h.step, h.kind, h.target, h.secret, h.receives_private_metadata, h.sealed_credentials, h.previous_secrets,
                       h.max_per_second
                  FROM heads h CROSS JOIN LATERAL (
                       SELECT n.id FROM (
                              SELECT n.id, bool_and(n.status = 'pending' AND n.next_attempt_at = 'infinity')
                                                    OVER (ORDER BY n.event_id) AS parked_run
                                FROM deliveries n
                               WHERE n.subscriber_id = h.subscriber_id AND n.ordering_key = h.ordering_key
                                 AND n.event_id > h.event_id AND n.status IN ('pending', 'in_flight')
                               ORDER BY n.event_id
                               LIMIT ?) n
                        WHERE n.parked_run) f
                 WHERE h.ordering_key IS NOT NULL AND h.max_per_second IS NULL
            ), chosen AS (
                SELECT id, step, kind, target, secret, receives_private_metadata, sealed_credentials, previous_secrets, max_per_second
                  FROM heads
                UNION ALL
                SELECT * FROM followers
            ), claimed AS (
                UPDATE deliveries d
                   SET status = 'in_flight', attempts = d.attempts + 1, lease_expires_at = clock_timestamp() + ? * interval '1 ms'
                 WHERE d.id = ANY (ARRAY(SELECT id FROM chosen)) AND d.status = 'pending'
                RETURNING d.id, d.event_id, d.subscriber_id, d.attempts, d.payload, d.created_at, d.ordering_key, d.schema_version
            ), paced AS (
                INSERT INTO delivery_throttles AS t (subscriber_id, next_free_at)
                SELECT h.subscriber_id, statement_timestamp() + count(*) / max(h.max_per_second)::float8 * interval '1 s'
                  FROM claimed c JOIN heads h ON h.id = c.id
                 WHERE h.max_per_second IS NOT NULL
                 GROUP BY h.subscriber_id
                ON CONFLICT (subscriber_id) DO UPDATE
                   SET next_free_at = greatest(t.next_free_at, statement_timestamp()) + (excluded.next_free_at - statement_timestamp())
            )
            SELECT c.id, c.event_id, c.subscriber_id, s.kind, s.target::text AS target, e.type, e.occurred_at, c.attempts,
                   -- frozen with the event; a grant revoked since takes it out of retries and recovers
                   CASE WHEN s.receives_private_metadata THEN c.payload ELSE c.payload - 'private_metadata' END::text AS payload,
                   s.secret, s.previous_secrets, s.sealed_credentials, c.created_at, s.step, c.ordering_key, e.tenant_id,
                   -- the version a pinned subscriber's payload was rendered at, else the event's
                   coalesce(c.schema_version, e.schema_version, 0) AS schema_version, e.traceparent, e.tracestate,
                   s.max_per_second IS NOT NULL AS paced
              FROM claimed c JOIN chosen s ON s.id = c.id JOIN events e ON e.id = c.event_id
             WHERE e.id = ANY (ARRAY(SELECT event_id FROM claimed)) -- by key, whatever the row estimates
             ORDER BY c.event_id
            """;

    // A claim that lost its lease to another instance (same id, higher attempts) must not overwrite
    // that instance's state; a successful send is recorded whatever happened meanwhile.
    private static final String RECORD_OUTCOMES = HOT_PATH_SETTINGS + """
            UPDATE deliveries d
               SET status = u.status, next_attempt_at = u.next_attempt_at, last_error = u.error, lease_expires_at = NULL,
                   delivered_at = CASE WHEN u.status = 'delivered' THEN u.next_attempt_at ELSE d.delivered_at END
              FROM unnest(?::uuid[], ?::int[], ?::text[], ?::timestamptz[], ?::text[])
                   AS u(id, attempt, status, next_attempt_at, error)
             WHERE d.id = u.id AND d.id = ANY (?) -- by key whatever the statistics
               AND (u.status = 'delivered' OR (d.status = 'in_flight' AND d.attempts = u.attempt))
            """;

    // The later deliveries of an ordered key wait parked (due at infinity, so that claims never walk
    // them); when one is delivered or dead, the next of its key becomes due.
    private static final String PROMOTE_NEXT = """
            UPDATE deliveries d SET next_attempt_at = ?
              FROM (SELECT DISTINCT subscriber_id, ordering_key FROM deliveries
                     WHERE id = ANY (?) AND ordering_key IS NOT NULL AND status IN ('delivered', 'dead')) done
             CROSS JOIN LATERAL (
                   SELECT n.id FROM deliveries n
                    WHERE n.subscriber_id = done.subscriber_id AND n.ordering_key = done.ordering_key
                      AND n.status IN ('pending', 'in_flight')
                    ORDER BY n.event_id LIMIT 1) next
             WHERE d.id = next.id AND d.status = 'pending' AND d.next_attempt_at > ?
            """;

    // A parked delivery whose predecessor finished while the parked one was still being written saw
    // no promotion; the fallback poll promotes it: the head of each key that has parked rows, where
    // that head is itself parked. One probe per key, whatever the plan: a plan that compared parked
    // rows with each other once ran for minutes on 100,000 of them.
    private static final String PROMOTE_STRANDED = HOT_PATH_SETTINGS + """
            UPDATE deliveries d SET next_attempt_at = ?
              FROM (SELECT DISTINCT subscriber_id, ordering_key FROM deliveries
                     WHERE ordering_key IS NOT NULL AND status = 'pending' AND next_attempt_at = 'infinity') parked
             CROSS JOIN LATERAL (
                   SELECT n.id FROM deliveries n
                    WHERE n.subscriber_id = parked.subscriber_id AND n.ordering_key = parked.ordering_key
                      AND n.status IN ('pending', 'in_flight')
                    ORDER BY n.event_id LIMIT 1) head
             WHERE d.id = head.id AND d.status = 'pending' AND d.next_attempt_at = 'infinity'
            """;
    private static final Duration STRANDED_CHECK = Duration.ofSeconds(30);

    // A delivery can vanish while it is being sent (its subscriber was deleted); its attempt then has
    // nothing to belong to. FOR KEY SHARE keeps the others from vanishing until this commits.
    private static final String INSERT_ATTEMPTS = """
            WITH live AS (SELECT id FROM deliveries WHERE id = ANY (?) FOR KEY SHARE)
            INSERT INTO delivery_attempts (delivery_id, attempted_at, duration_ms, status_code, response_excerpt, error)
            SELECT u.* FROM unnest(?::uuid[], ?::timestamptz[], ?::int[], ?::int[], ?::text[], ?::text[])
                            AS u(delivery_id, attempted_at, duration_ms, status_code, response_excerpt, error)
              JOIN live ON live.id = u.delivery_id
            """;

    // Leases are set and compared on the database's clock, so that instances whose clocks disagree
    // agree on when one has run out.
    private static final String RELEASE_EXPIRED = """
            UPDATE deliveries SET status = 'pending', lease_expires_at = NULL, next_attempt_at = ?
             WHERE status = 'in_flight' AND lease_expires_at < clock_timestamp()
            """;

    private static final String EXTEND = """
            UPDATE deliveries d SET lease_expires_at = clock_timestamp() + ? * interval '1 ms'
              FROM unnest(?::uuid[], ?::int[]) AS u(id, attempt)
             WHERE d.id = u.id AND d.status = 'in_flight' AND d.attempts = u.attempt
            """;

    // Unsent deliveries give their attempt back; sent ones keep it, since the receiver may have it.
    private static final String RELEASE = """
            UPDATE deliveries d
               SET status = 'pending', lease_expires_at = NULL, next_attempt_at = ?,
                   attempts = d.attempts - CASE WHEN u.sent THEN 0 ELSE 1 END
              FROM unnest(?::uuid[], ?::int[], ?::boolean[]) AS u(id, attempt, sent)
             WHERE d.id = u.id AND d.status = 'in_flight' AND d.attempts = u.attempt
            """;

    /**
     * How far ahead of its pace a rate-limited subscriber may be claimed: a second's worth at most at
     * once, and never less than one delivery (the rate is at least 1 a second).
     */
    public static final Duration THROTTLE_WINDOW = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(DeliveryQueue.class);

    private final DataSource dataSource;
    private final WebhookSecrets webhookSecrets;
    // When a claim last took rows of a rate-limited subscriber.
    private volatile Instant lastPacedClaim;
    // Stranded parked deliveries are rare (a race between a commit and a promotion): looked for twice a minute.
    private volatile Instant lastStrandedCheck = Instant.MIN.plus(STRANDED_CHECK);
    // Per set of kinds, the subscriber the last claim reached: the next one starts just after it.
    private final Map<Collection<String>, UUID> walkFrom = new ConcurrentHashMap<>();

    @Inject
    public DeliveryQueue(DataSource dataSource, WebhookSecrets webhookSecrets) {
        this.dataSource = dataSource;
        this.webhookSecrets = webhookSecrets;
    }

    /**
     * Whether a claim took rows of a rate-limited subscriber within the last {@link #THROTTLE_WINDOW}:
     * the worker then claims again a window later, whatever its poll, or the pace would fall behind the rate.
     */
    public boolean pacing(Instant now) {
        Instant last = lastPacedClaim;
        return last != null && !now.isAfter(last.plus(THROTTLE_WINDOW));
    }

    /**
     * Leases up to {@code limit} due deliveries of the given subscriber kinds for {@code lease}, on the database's clock.
     *
     * @param busy subscribers to leave out, because this instance already sends to them all it may
     */
    public List<ClaimedDelivery> claim(Instant now, Collection<String> kinds, Collection<UUID> busy, int limit,
            int perSubscriber, Duration lease) throws SQLException {
        return claim(now, kinds, busy, limit, perSubscriber, 0, lease);
    }

    /**
     * {@link #claim}, where each due delivery of an ordered key also brings up to {@code followers} of
     * the parked ones after it: for a sender that keeps a batch's order per key.
     */
    public List<ClaimedDelivery> claim(Instant now, Collection<String> kinds, Collection<UUID> busy, int limit,
            int perSubscriber, int followers, Duration lease) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(CLAIM)) {
            UUID start = walkFrom.computeIfAbsent(kinds, k -> UUID.randomUUID());
            bindClaim(claim, start, timestamp(now), kinds, busy, limit, perSubscriber, followers, lease);
            claim.execute();
            claim.getMoreResults(); // past the settings' row
            List<ClaimedDelivery> claimed = new ArrayList<>();
            Map<List<String>, List<String>> opened = new HashMap<>();
            Map<String, ObjectNode> openedCredentials = new HashMap<>();
            Map<String, ObjectNode> targets = new HashMap<>(); // one per subscriber, shared by its rows
            int furthest = -1;
            try (ResultSet rows = claim.getResultSet()) {
                while (rows.next()) {
                    UUID subscriber = rows.getObject("subscriber_id", UUID.class);
                    if (rows.getBoolean("paced")) {
                        lastPacedClaim = now;
                    }
                    if (rows.getInt("step") > furthest) {
                        furthest = rows.getInt("step");
                        walkFrom.put(kinds, subscriber);
                    }
                    List<String> sealed = Arrays.asList(rows.getString("secret"), rows.getString("previous_secrets"));
                    List<String> secrets = opened.get(sealed); // a batch holds many rows of one subscriber
                    ObjectNode credentials;
                    try {
                        if (secrets == null) {
                            secrets = secrets(sealed.get(0), sealed.get(1));
                            opened.put(sealed, secrets);
                        }
                        credentials = openedCredentials.computeIfAbsent(String.valueOf(rows.getString("sealed_credentials")),
                                this::credentials);
                    } catch (IllegalArgumentException | IllegalStateException unopened) {
                        // Never sent unsigned; the row waits for its lease to run out, the batch goes on.
                        LOG.errorf("The signing secret of subscriber %s does not open (%s); its delivery %s is held back",
                                subscriber, unopened.getMessage(), rows.getObject("id", UUID.class));
                        continue;
                    }
                    claimed.add(claimed(rows, subscriber, targets.computeIfAbsent(rows.getString("target"), Subscriber::readTarget),
                            secrets, credentials));
                }
            }
            return claimed;
        }
    }

    /** Binds {@link #CLAIM}'s parameters: the walk starts just after {@code start}. */
    static void bindClaim(PreparedStatement claim, UUID start, OffsetDateTime now, Collection<String> kinds,
            Collection<UUID> busy, int limit, int perSubscriber, int followers, Duration lease)
            throws SQLException {
        Connection connection = claim.getConnection();
        claim.setObject(1, start);
        claim.setObject(2, start);
        claim.setObject(3, start);
        claim.setObject(4, now);
        claim.setArray(5, connection.createArrayOf("text", kinds.toArray()));
        claim.setArray(6, connection.createArrayOf("uuid", busy.toArray()));
        int quota = Math.min(perSubscriber, limit);
        claim.setInt(7, quota);
        claim.setInt(8, quota);
        claim.setLong(9, THROTTLE_WINDOW.toMillis());
        claim.setObject(10, now);
        claim.setInt(11, limit);
        claim.setInt(12, followers);
        claim.setLong(13, lease.toMillis());
    }

    private static ClaimedDelivery claimed(ResultSet rows, UUID subscriber, ObjectNode target, List<String> secrets,
            ObjectNode credentials) throws SQLException {
        return new ClaimedDelivery(rows.getObject("id", UUID.class), rows.getObject("event_id", UUID.class), subscriber,
                rows.getString("kind"), target, rows.getString("type"), rows.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rows.getInt("attempts"), rows.getString("payload"), secrets,
                rows.getObject("created_at", OffsetDateTime.class).toInstant(), rows.getString("ordering_key"),
                rows.getObject("tenant_id", UUID.class), rows.getInt("schema_version"), rows.getString("traceparent"),
                rows.getString("tracestate"), credentials);
    }

    // Keyed by the column's text ("null" for none), so that one subscriber's rows open theirs once.
    private ObjectNode credentials(String sealed) {
        return webhookSecrets.openObject(sealed.equals("null") ? null : sealed);
    }

    /** The subscriber's secrets in force, newest first, opened. @param previous a JSON array of sealed secrets, or null */
    private List<String> secrets(String current, String previous) throws SQLException {
        List<String> secrets = new ArrayList<>(2);
        if (current != null) {
            secrets.add(webhookSecrets.open(current));
        }
        if (previous != null) {
            try {
                JSON.readTree(previous).forEach(sealed -> secrets.add(webhookSecrets.open(sealed.asText())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("previous_secrets is a JSON array", e);
            }
        }
        return List.copyOf(secrets);
    }

    /** Writes the attempts and applies the decisions that followed them, in one transaction. */
    public void record(List<Outcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        int size = outcomes.size();
        UUID[] ids = new UUID[size];
        Integer[] attempts = new Integer[size];
        String[] statuses = new String[size];
        String[] nextAttempts = new String[size];
        String[] errors = new String[size];
        String[] startedAt = new String[size];
        Integer[] durations = new Integer[size];
        Integer[] statusCodes = new Integer[size];
        String[] excerpts = new String[size];
        String[] attemptErrors = new String[size];
        for (int i = 0; i < size; i++) {
            Outcome outcome = outcomes.get(i);
            AttemptResult result = outcome.result();
            ids[i] = outcome.delivery().id();
            attempts[i] = outcome.delivery().attempt();
            statuses[i] = outcome.decision().status().column();
            nextAttempts[i] = outcome.decision().nextAttemptAt().toString();
            errors[i] = outcome.decision().error();
            startedAt[i] = result.startedAt().toString();
            durations[i] = (int) Math.min(Integer.MAX_VALUE, result.duration().toMillis());
            statusCodes[i] = result.statusCode();
            excerpts[i] = result.excerpt();
            attemptErrors[i] = result.error();
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(RECORD_OUTCOMES);
                    PreparedStatement promote = connection.prepareStatement(PROMOTE_NEXT);
                    PreparedStatement insert = connection.prepareStatement(INSERT_ATTEMPTS)) {
                bindArrays(connection, update, "uuid", ids, "int4", attempts, "text", statuses, "text", nextAttempts,
                        "text", errors, "uuid", ids);
                update.execute(); // the settings, which last until the commit, then the update
                if (outcomes.stream().anyMatch(outcome -> outcome.delivery().orderingKey() != null)) {
                    promoteNext(connection, promote, outcomes, ids);
                }
                bindArrays(connection, insert, "uuid", ids, "uuid", ids, "text", startedAt, "int4", durations,
                        "int4", statusCodes, "text", excerpts, "text", attemptErrors);
                insert.executeUpdate();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void promoteNext(Connection connection, PreparedStatement promote, List<Outcome> outcomes, UUID[] ids)
            throws SQLException {
        OffsetDateTime now = timestamp(outcomes.stream().map(o -> o.result().startedAt().plus(o.result().duration()))
                .max(Instant::compareTo).orElseThrow());
        promote.setObject(1, now);
        promote.setArray(2, connection.createArrayOf("uuid", ids));
        promote.setObject(3, now);
        if (promote.executeUpdate() > 0) {
            WorkerWakeUp.notifyNow(connection); // at commit, to whichever instance is free
        }
    }

    /** Binds each array, given after its PostgreSQL element type, to the next parameter from the first. */
    private static void bindArrays(Connection connection, PreparedStatement statement, Object... typesAndArrays)
            throws SQLException {
        for (int i = 0; i < typesAndArrays.length; i += 2) {
            statement.setArray(i / 2 + 1, connection.createArrayOf((String) typesAndArrays[i], (Object[]) typesAndArrays[i + 1]));
        }
    }

    /**
     * Makes deliveries whose lease ran out (their instance died mid-send) due again now.
     *
     * @return how many leases were released
     */
    public int releaseExpiredLeases(Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement release = connection.prepareStatement(RELEASE_EXPIRED)) {
            release.setObject(1, timestamp(now));
            return release.executeUpdate();
        }
    }

    /**
     * Makes due the parked deliveries of ordered keys whose turn came without a promotion, at most
     * every {@link #STRANDED_CHECK} (and after the clock stepped back, so that a step back does not
     * suspend it). Safe whatever the leases: it only makes a key's head due.
     */
    public void promoteStranded(Instant now) throws SQLException {
        if (now.isBefore(lastStrandedCheck.plus(STRANDED_CHECK)) && !now.isBefore(lastStrandedCheck)) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement stranded = connection.prepareStatement(PROMOTE_STRANDED)) {
            stranded.setObject(1, timestamp(now));
            stranded.execute(); // the settings, then the update
        }
        lastStrandedCheck = now;
    }

    /**
     * Leases these deliveries for {@code lease} more, from now on the database's clock, where this
     * instance still holds them. @return how many it still held
     */
    public int extendLeases(Collection<ClaimedDelivery> deliveries, Duration lease) throws SQLException {
        if (deliveries.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement extend = connection.prepareStatement(EXTEND)) {
            extend.setLong(1, lease.toMillis());
            extend.setArray(2, connection.createArrayOf("uuid", deliveries.stream().map(ClaimedDelivery::id).toArray()));
            extend.setArray(3, connection.createArrayOf("int4", deliveries.stream().map(ClaimedDelivery::attempt).toArray()));
            return extend.executeUpdate();
        }
    }

    /** Hands leased deliveries back, due now, and wakes the other instances to take them. */
    public int release(List<ClaimedDelivery> deliveries, List<Boolean> sent, Instant now) throws SQLException {
        if (deliveries.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement release = connection.prepareStatement(RELEASE)) {
            release.setObject(1, timestamp(now));
            release.setArray(2, connection.createArrayOf("uuid", deliveries.stream().map(ClaimedDelivery::id).toArray()));
            release.setArray(3, connection.createArrayOf("int4", deliveries.stream().map(ClaimedDelivery::attempt).toArray()));
            release.setArray(4, connection.createArrayOf("bool", sent.toArray()));
            int released = release.executeUpdate();
            WorkerWakeUp.notifyNow(connection);
            return released;
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
