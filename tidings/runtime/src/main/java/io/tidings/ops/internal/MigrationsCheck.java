package io.tidings.ops.internal;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/**
 * Not ready while the schema lacks migrations this version needs, Tidings' own or the application's
 * (the database's own check covers reachability).
 */
@Readiness
@Singleton
public class MigrationsCheck implements HealthCheck {

    @Inject
    Flyway flyway;
    @Inject
    TidingsSchema tidingsSchema;

    // Once none is pending none will be until the next deployment: Flyway is not asked again (it
    // logged a line at INFO on every call, thousands a day behind a readiness probe).
    private volatile boolean applicationUpToDate;

    @Override
    public HealthCheckResponse call() {
        try {
            int tidings = tidingsSchema.pending();
            int application = applicationUpToDate ? 0 : flyway.info().pending().length;
            applicationUpToDate = application == 0;
            return HealthCheckResponse.named("migrations").status(tidings + application == 0)
                    .withData("pending", tidings + application).withData("pendingOfTidings", tidings).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("migrations").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
