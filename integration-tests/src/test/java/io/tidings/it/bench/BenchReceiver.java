package io.tidings.it.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The receivers of the benchmark, on Vert.x in the benchmark's JVM: {@code /ok/*} answers 204 at
 * once, {@code /slow/*} after {@link #SLOW_MILLIS}, {@code /hang/*} never answers, {@code /batch}
 * counts telemetry capsules. Arrival times of
 * webhook ids are kept when asked, for the lag measurement.
 */
final class BenchReceiver implements AutoCloseable {

    static final int SLOW_MILLIS = Integer.getInteger("tidings.bench.slow-millis", 50);

    private final HttpServer server;
    final AtomicLong webhooks = new AtomicLong();
    final AtomicLong capsules = new AtomicLong();
    final Map<String, AtomicLong> perPath = new ConcurrentHashMap<>();
    final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    volatile boolean recordArrivals;

    BenchReceiver(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            if (path.startsWith("/hang")) {
                return;
            }
            request.body().onSuccess(body -> {
                if (path.equals("/batch")) {
                    String text = body.toString();
                    int count = 0;
                    for (int i = text.indexOf("\"insert_id\""); i >= 0; i = text.indexOf("\"insert_id\"", i + 1)) {
                        count++;
                    }
                    capsules.addAndGet(count);
                } else {
                    webhooks.incrementAndGet();
                    perPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
                    if (recordArrivals) {
                        arrivals.putIfAbsent(request.getHeader("webhook-id"), System.nanoTime());
                    }
                }
                if (path.startsWith("/slow")) {
                    vertx.setTimer(SLOW_MILLIS, timer -> request.response().setStatusCode(204).end());
                } else {
                    request.response().setStatusCode(204).end();
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    @Override
    public void close() {
        server.close();
    }
}
