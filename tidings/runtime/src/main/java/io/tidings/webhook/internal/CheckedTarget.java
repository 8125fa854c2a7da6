package io.tidings.webhook.internal;

import java.net.InetAddress;
import java.net.URI;

import io.vertx.core.net.SocketAddress;

/**
 * A URL and the address its host was checked at: requests go to that very address, so that DNS
 * cannot be rebound between the check and the connection (a webhook's, its OAuth token URL's).
 */
record CheckedTarget(URI uri, InetAddress address) {

    /** Where to connect: the checked address, on the URL's port or its scheme's. */
    SocketAddress server() {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return SocketAddress.inetSocketAddress(port, address.getHostAddress());
    }
}
