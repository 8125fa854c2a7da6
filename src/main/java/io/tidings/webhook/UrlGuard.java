package io.tidings.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Keeps webhooks from reaching into the network Tidings runs in (server-side request forgery):
 * refuses URLs that are not http(s), carry credentials, or whose host resolves to an internal
 * address. The sender connects to the address checked here, so a DNS answer that changes between
 * the check and the connection (rebinding) cannot redirect the request.
 */
@Singleton
public class UrlGuard {

    private final WebhookConfig config;

    @Inject
    public UrlGuard(WebhookConfig config) {
        this.config = config;
    }

    /** Checks the form of a URL without resolving it. @throws RefusedUrl with the reason */
    public URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new RefusedUrl("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && config.allowHttp())) {
            throw new RefusedUrl(config.allowHttp() ? "must be http or https" : "must be https (tidings.webhooks.allow-http is off)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new RefusedUrl("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedUrl("must not carry a user name or password");
        }
        return uri;
    }

    /**
     * Resolves the host and returns the address to connect to. Blocks on DNS.
     *
     * @throws RefusedUrl when the host does not resolve or any of its addresses is internal
     */
    public InetAddress resolve(URI uri) {
        return resolve(uri.getHost());
    }

    /** As {@link #resolve(URI)}, for a host name or address literal. */
    public InetAddress resolve(String host) {
        try {
            return checked(List.of(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            throw new RefusedUrl("has a host that does not resolve");
        }
    }

    /**
     * The address to connect to, of those a host resolved to.
     *
     * @throws RefusedUrl when there is none, or any of them is internal
     */
    public InetAddress checked(List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new RefusedUrl("has a host that does not resolve");
        }
        if (!config.allowPrivateTargets()) {
            for (InetAddress address : addresses) {
                if (isInternal(address)) {
                    throw new RefusedUrl("points to an internal address (" + address.getHostAddress()
                            + "); only public addresses are allowed unless tidings.webhooks.allow-private-targets is on");
                }
            }
        }
        return addresses.get(0);
    }

    /** Parses and resolves: the check made when a webhook is saved. */
    public void check(String url) {
        resolve(parse(url));
    }

    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // unique local fc00::/7
                return true;
            }
            if (isMappedIpv4(bytes)) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] }));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    // ::ffff:a.b.c.d reaches a.b.c.d, so it must be judged as a.b.c.d.
    private static boolean isMappedIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }

    /** A URL a webhook may not have; the message completes "The URL ...". */
    public static class RefusedUrl extends RuntimeException {
        public RefusedUrl(String reason) {
            super("The URL " + reason);
        }
    }
}
