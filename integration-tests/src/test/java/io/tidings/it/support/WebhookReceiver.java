package io.tidings.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers as the test scripts it:
 * by default 204 at once.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request. {@code number} counts requests to the same path, from 1. */
    private static Map<String, String> firstOfEach(com.sun.net.httpserver.Headers headers) {
        Map<String, String> first = new java.util.HashMap<>();
        headers.forEach((name, values) -> first.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        return first;
    }

    public record Request(int number, String path, String webhookId, String webhookTimestamp, String signature,
            String contentType, String userAgent, String body, Instant receivedAt, Map<String, String> headers) {

        /** A header as it arrived, by its name in any case; null when it did not. */
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** How to answer: a status, headers, a body, after holding the request until {@code release} opens. */
    public record Reply(int status, Map<String, String> headers, byte[] body, CountDownLatch release) {

        public static Reply status(int status) {
            return new Reply(status, Map.of(), new byte[0], null);
        }

        public Reply withHeader(String name, String value) {
            return new Reply(status, Map.of(name, value), body, release);
        }

        public Reply withBody(String text) {
            return withBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Any bytes at all, as a hostile or broken receiver sends them. */
        public Reply withBytes(byte[] bytes) {
            return new Reply(status, headers, bytes, release);
        }

        public Reply heldUntil(CountDownLatch latch) {
            return new Reply(status, headers, body, latch);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Reply> replies = request -> Reply.status(204);

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A URL on which nothing listens: connections are refused. */
    public static String refusingUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/down";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void replyWith(Function<Request, Reply> replies) {
        this.replies = replies;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code count} requests to {@code path} have arrived. */
    public List<Request> awaitRequests(String path, int count, Duration timeout) {
        await(() -> requests(path).size() >= count, timeout, () -> "expected " + count + " requests to " + path
                + ", got " + requests(path).size());
        return requests(path);
    }

    public static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> failure) {
        io.tidings.support.Await.until(condition, timeout, failure);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Request request;
            synchronized (requests) {
                int number = (int) requests.stream().filter(r -> r.path().equals(path)).count() + 1;
                var headers = exchange.getRequestHeaders();
                request = new Request(number, path, headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                        headers.getFirst("webhook-signature"), headers.getFirst("content-type"),
                        headers.getFirst("user-agent"), body, Instant.now(), firstOfEach(headers));
                requests.add(request);
            }
            Reply reply = replies.apply(request);
            if (reply.release() != null && !reply.release().await(60, TimeUnit.SECONDS)) {
                return;
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = reply.body();
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
