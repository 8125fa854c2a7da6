package io.tidings.ops.internal;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** The clock every component reads time from; tests replace it to move time without sleeping. */
@ApplicationScoped
public class ClockProducer {

    // @Singleton, not a normal scope: java.time.Clock cannot be proxied.
    @Produces
    @DefaultBean
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
