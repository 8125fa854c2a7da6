package io.tidings.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile receiver on a raw socket: it reads the request's first bytes, then sends its answer
 * one byte every 100 ms: a status line and headers that never end ({@link Mode#HEADERS}), or
 * complete headers and a chunked body that never ends ({@link Mode#BODY}).
 */
public final class TricklingReceiver implements AutoCloseable {

    public enum Mode { HEADERS, BODY }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final Mode mode;
    public final AtomicInteger accepted = new AtomicInteger();

    public TricklingReceiver(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptAll);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                connections.execute(() -> trickle(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void trickle(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            in.read(new byte[8192]);
            if (mode == Mode.BODY) {
                out.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            byte[] drip = mode == Mode.BODY ? "1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)
                    : "HTTP/1.1 200 OK\r\nx-slow: ".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 600 && !socket.isClosed(); i++) {
                out.write(mode == Mode.BODY ? drip : new byte[] { drip[i % drip.length] });
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException gone) {
            // the client gave up, as it should
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
