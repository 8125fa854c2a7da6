package io.tidings.ops.internal;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What Tidings does when PostgreSQL's autovacuum does not look after the outbox tables. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.vacuum")
public interface VacuumConfig {

    /**
     * Vacuum and analyze the outbox tables (deliveries, delivery_attempts, events) from the
     * application when autovacuum is off for them, on the server or for the table, once they hold
     * enough dead rows: every claim and outcome leaves one, and claims slow down walking them.
     * One instance at a time does it. Defaults to true.
     */
    @WithDefault("true")
    boolean enabled();

    /** How often the dead rows are counted. Defaults to 30s. */
    @WithDefault("30s")
    Duration interval();

    /**
     * Vacuum a table once its dead rows exceed this many plus 1% of its live rows, and analyze it
     * once the rows changed since its last analysis exceed this many plus 10%. Defaults to 1000.
     */
    @WithDefault("1000")
    long threshold();
}
