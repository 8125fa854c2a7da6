package io.tidings.outbox.internal;

import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** An application without a tracer: events carry no trace context, at no cost. */
@Singleton
@DefaultBean
public class NoTraceCapture implements TraceCapture {

    @Override
    public TraceContext current() {
        return null;
    }
}
