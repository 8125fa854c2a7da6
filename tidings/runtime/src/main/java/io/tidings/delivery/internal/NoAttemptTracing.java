package io.tidings.delivery.internal;

import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;
import io.tidings.delivery.ClaimedDelivery;

/** No tracer: the delivery goes with the trace context its event was recorded with, if any. */
@Singleton
@DefaultBean
public class NoAttemptTracing implements AttemptTracing {

    @Override
    public Attempt start(ClaimedDelivery delivery) {
        return AttemptTracing.untraced(delivery);
    }
}
