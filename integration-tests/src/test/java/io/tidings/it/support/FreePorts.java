package io.tidings.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port for a child server to bind. Not one the kernel hands out for {@code new ServerSocket(0)}: that
 * comes from the ephemeral range, from which every outgoing connection (JDBC, HTTP) also takes its
 * local port, and one of them can take it in the moment between the probe closing and the child
 * binding. Ports below the range are only ever taken by a listener that asks for them.
 */
public final class FreePorts {

    private static final int LOWEST = 15_000;
    private static final int BELOW_EPHEMERAL = 32_000;

    private FreePorts() {
    }

    public static int next() {
        for (int tries = 0; tries < 100; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + BELOW_EPHEMERAL);
    }

    private static boolean bindable(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
