package io.tidings.tracing.internal;

import jakarta.inject.Inject;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.internal.AttemptTracing;
import io.tidings.outbox.internal.TraceCapture;

/**
 * Tracing with the application's OpenTelemetry: an event keeps the context it was recorded in, and
 * each attempt to send it is a span of that trace (its kind, event type, attempt number and
 * outcome; no URL, no payload), whose context goes to the receiver. A bean only where the
 * application has quarkus-opentelemetry: the extension adds it then, and this class is never
 * loaded otherwise.
 */
public class OpenTelemetryTracing implements TraceCapture, AttemptTracing {

    private static final String VERSION = "00";

    private final Tracer tracer;

    @Inject
    public OpenTelemetryTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.tidings");
    }

    @Override
    public TraceContext current() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? new TraceContext(traceparent(span), tracestate(span.getTraceState())) : null;
    }

    @Override
    public Attempt start(ClaimedDelivery delivery) {
        SpanContext recorded = parse(delivery.traceparent());
        if (recorded == null) {
            return AttemptTracing.untraced(delivery);
        }
        Span span = tracer.spanBuilder("tidings " + delivery.subscriberKind() + " delivery")
                .setParent(Context.root().with(Span.wrap(recorded))).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("tidings.kind", delivery.subscriberKind()).setAttribute("tidings.event_type", delivery.eventType())
                .setAttribute("tidings.attempt", delivery.attempt()).startSpan();
        ClaimedDelivery traced = delivery.withTrace(traceparent(span.getSpanContext()), delivery.tracestate());
        return new Attempt() {
            @Override
            public ClaimedDelivery delivery() {
                return traced;
            }

            @Override
            public void end(AttemptResult result) {
                span.setAttribute("tidings.outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
                if (result.outcome() != AttemptResult.Outcome.DELIVERED) {
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
            }
        };
    }

    static String traceparent(SpanContext span) {
        return VERSION + "-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    private static String tracestate(TraceState state) {
        if (state.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        state.forEach((key, value) -> text.append(text.length() == 0 ? "" : ",").append(key).append('=').append(value));
        return text.toString();
    }

    /** The span a W3C traceparent names, or null when there is none or it is malformed. */
    static SpanContext parse(String traceparent) {
        if (traceparent == null || !traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")) {
            return null;
        }
        String[] parts = traceparent.split("-");
        SpanContext span = SpanContext.createFromRemoteParent(parts[1], parts[2], TraceFlags.fromHex(parts[3], 0), TraceState.getDefault());
        return span.isValid() ? span : null;
    }
}
