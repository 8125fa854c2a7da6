package io.tidings.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.tidings.ops.internal.RetentionConfig;
import io.tidings.ops.internal.RetentionPurge;
import io.tidings.ops.internal.TidingsSchema;
import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.Sql;

/**
 * The purge on a million finished deliveries and their events, among rows it must keep. Prints how
 * long it took; asserts only what it kept and removed.
 */
class RetentionScaleIT {

    private static final int ROWS = Integer.getInteger("tidings.retention.rows", 1_000_000);

    @Test
    void a_million_old_deliveries_and_their_events_are_purged_and_nothing_needed_goes() throws Exception {
        try (ItDatabase database = ItDatabase.start()) {
            Flyway.configure().dataSource(database.jdbcUrl(), "postgres", null).table(TidingsSchema.HISTORY)
                    .locations(TidingsSchema.LOCATION).load().migrate();
            Flyway.configure().dataSource(database.jdbcUrl(), "postgres", null).baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
            Sql sql = database.sql();
            UUID webhook = sql.webhook("https://example.test/hook", true, "*");
            long fill = System.nanoTime();
            sql.update("""
                    INSERT INTO events (id, kind, type, occurred_at, recorded_at)
                    SELECT tidings_uuid_v7(), 'project', 'project:created', now(), now() - interval '10 days'
                      FROM generate_series(1, ?)
                    """, ROWS);
            sql.update("""
                    INSERT INTO deliveries (event_id, subscriber_id, status, payload, delivered_at)
                    SELECT id, ?, 'delivered', '{"project":{}}', now() - interval '8 days' FROM events
                    """, webhook);
            sql.update("""
                    INSERT INTO events (id, kind, type, occurred_at, recorded_at)
                    SELECT tidings_uuid_v7(), 'project', 'project:updated', now(), now() - interval '10 days'
                      FROM generate_series(1, 1000)
                    """);
            sql.update("""
                    INSERT INTO deliveries (event_id, subscriber_id, status, payload)
                    SELECT id, ?, 'pending', '{}' FROM events WHERE type = 'project:updated'
                    """, webhook);
            sql.update("ANALYZE");
            Duration filled = Duration.ofNanos(System.nanoTime() - fill);

            RetentionPurge purge = new RetentionPurge(dataSource(database), config(), () -> Duration.ofHours(24), Clock.systemUTC());
            RetentionPurge.Result result = purge.purge();

            System.out.printf("%nRetention purge of %,d delivered deliveries and %,d events: %d ms (%,.0f rows/s); fill took %d ms%n%n",
                    result.delivered(), result.events(), result.took().toMillis(),
                    (result.delivered() + result.events()) / (result.took().toNanos() / 1e9), filled.toMillis());
            assertThat(result.delivered()).isEqualTo(ROWS);
            assertThat(result.events()).isEqualTo(ROWS);
            assertThat(sql.count("SELECT count(*) FROM deliveries WHERE status = 'pending'")).isEqualTo(1000);
            assertThat(sql.count("SELECT count(*) FROM events")).isEqualTo(1000);
        }
    }

    private static javax.sql.DataSource dataSource(ItDatabase database) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser("postgres");
        return dataSource;
    }

    private static RetentionConfig config() {
        return new RetentionConfig() {
            public boolean enabled() {
                return true;
            }

            public Duration interval() {
                return Duration.ofHours(1);
            }

            public Duration delivered() {
                return Duration.ofDays(7);
            }

            public Duration dead() {
                return Duration.ofDays(30);
            }

            public int batchSize() {
                return 5000;
            }
        };
    }
}
