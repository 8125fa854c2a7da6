package io.tidings.it.bench;

import java.util.Collection;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Singleton;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Tracing for the benchmark's recording phase, when it runs with quarkus-opentelemetry (the
 * bench-tracing profile adds the extension): a host's request span around a recording, and an
 * exporter that drops every span, so that what is measured is the recording and not an export to a
 * collector that is not there. Without the extension there is no tracer, and the phase says so.
 */
@Singleton
public class BenchSpans {

    /** The tracer of the application, or null when it has no OpenTelemetry. */
    static Tracer tracer() {
        Instance<Tracer> tracer = CDI.current().select(Tracer.class);
        return tracer.isResolvable() ? tracer.get() : null;
    }

    /** Runs the operation as a host request would: inside a span of its own, which is then current. */
    static Runnable inSpan(Tracer tracer, Runnable operation) {
        return () -> {
            Span span = tracer.spanBuilder("bench-request").startSpan();
            try (Scope scope = span.makeCurrent()) {
                operation.run();
            } finally {
                span.end();
            }
        };
    }

    @Produces
    @Singleton
    SpanExporter dropped() {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }
}
