package io.tidings.webhook.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
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
                if (SpecialAddresses.isInternal(address)) {
                    // Which address it was would let a tenant map the internal network's names.
                    throw new RefusedUrl("is not allowed: its host must resolve to public addresses only "
                            + "(tidings.webhooks.allow-private-targets is off)");
                }
            }
        }
        return addresses.get(0);
    }

    /** A URL a webhook may not have; the message completes "The URL ...". */
    public static class RefusedUrl extends RuntimeException {
        public RefusedUrl(String reason) {
            super("The URL " + reason);
        }
    }
}
