package io.tidings.outbox.internal;

/**
 * The W3C trace context of the code recording an event, kept with the event so that what is sent
 * later belongs to the same trace. Without a tracer in the application there is none.
 */
public interface TraceCapture {

    /** @param traceparent the W3C {@code traceparent}; @param tracestate its {@code tracestate}, or null */
    record TraceContext(String traceparent, String tracestate) {
    }

    /** The current trace context, or null when the code runs in none. */
    TraceContext current();
}
