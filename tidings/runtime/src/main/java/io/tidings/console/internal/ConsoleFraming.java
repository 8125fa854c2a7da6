package io.tidings.console.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;

/**
 * Whether other sites may frame the console ({@code tidings.console.frame-ancestors}), and what
 * follows from it: the {@code frame-ancestors} of the console's content security policy, and the
 * attributes of its cookies. A frame on another site gets only cookies that are {@code
 * SameSite=None; Secure}; {@code Partitioned} keeps them to that site's frames (CHIPS), as browsers
 * that block third-party cookies still allow.
 */
@Singleton
class ConsoleFraming {

    // No script at all: the console works with forms and links alone.
    private static final String POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors %s; base-uri 'none'";

    private final List<String> ancestors;

    @Inject
    ConsoleFraming(ConsoleConfig config) {
        this(config.frameAncestors().orElse(List.of()));
    }

    ConsoleFraming(List<String> ancestors) {
        ancestors.forEach(ConsoleFraming::requireOrigin);
        this.ancestors = List.copyOf(ancestors);
    }

    // Created at start, so that a wrong origin stops the start rather than the first page.
    void checkAtStart(@Observes StartupEvent start) {
        // the constructor checked
    }

    boolean framed() {
        return !ancestors.isEmpty();
    }

    String contentSecurityPolicy() {
        return String.format(POLICY, framed() ? String.join(" ", ancestors) : "'none'");
    }

    /** A {@code Set-Cookie} value for a console cookie; a {@code maxAge} of 0 deletes it, -1 lasts the browser's session. */
    String cookie(String name, String value, int maxAge, boolean https) {
        StringBuilder cookie = new StringBuilder(name).append('=').append(value).append("; Path=/console");
        if (maxAge >= 0) {
            cookie.append("; Max-Age=").append(maxAge);
        }
        cookie.append("; HttpOnly");
        if (framed()) {
            return cookie.append("; Secure; SameSite=None; Partitioned").toString();
        }
        return cookie.append(https ? "; Secure" : "").append("; SameSite=Strict").toString();
    }

    // An origin goes into a header as it is: nothing but a scheme, a host and a port.
    private static void requireOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            if (uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null
                    && uri.getRawPath().isEmpty() && uri.getRawQuery() == null && uri.getRawUserInfo() == null
                    && uri.getRawFragment() == null && origin.matches("[A-Za-z0-9.:/\\[\\]-]+")) {
                return;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new IllegalArgumentException("tidings.console.frame-ancestors holds '" + origin
                + "', which is not an origin such as https://app.example.com (a scheme, a host, a port at most)");
    }
}
