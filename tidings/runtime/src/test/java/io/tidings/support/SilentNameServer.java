package io.tidings.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/** A name server on 127.0.0.1 that reads every query and answers none: DNS that hangs. */
public final class SilentNameServer implements AutoCloseable {

    private final AtomicInteger queries = new AtomicInteger();
    private final DatagramSocket socket;

    public SilentNameServer() {
        try {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
        Thread reader = new Thread(this::swallow, "silent-name-server");
        reader.setDaemon(true);
        reader.start();
    }

    private void swallow() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                socket.receive(new DatagramPacket(buffer, buffer.length));
                queries.incrementAndGet();
            } catch (IOException closed) {
                return;
            }
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    /** {@code host:port}, as tidings.webhooks.dns-servers takes it. */
    public String hostAndPort() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public int queries() {
        return queries.get();
    }

    @Override
    public void close() {
        socket.close();
    }
}
