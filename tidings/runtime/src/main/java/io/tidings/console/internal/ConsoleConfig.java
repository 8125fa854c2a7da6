package io.tidings.console.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The browser console under {@code /console}. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.console")
public interface ConsoleConfig {

    /**
     * Whether {@code /console} answers at all; when false every console page is a 404. False at
     * build time leaves the console's paths out, for an application with a {@code /console} of its
     * own. Defaults to true.
     */
    @WithDefault("true")
    boolean enabled();

    /** How long a sign-in lasts, however busy; then the key is asked for again. Defaults to 8 hours. */
    @WithDefault("8h")
    Duration sessionDuration();

    /**
     * Sign-ins one address (an IPv4 address, an IPv6 /64) may try a minute on each instance; more
     * get 429. Defaults to 10.
     */
    @WithDefault("10")
    int signInsPerMinute();

    /** How long a portal link ({@code POST /api/tenants/{id}/portal-links}) may wait to be followed, once. Defaults to 10 minutes. */
    @WithDefault("10m")
    Duration portalLinkDuration();

    /** How long a session opened by a portal link lasts; then the host application hands out a new link. Defaults to 1 hour. */
    @WithDefault("1h")
    Duration portalSessionDuration();

    /**
     * The origins that may frame the console ({@code https://app.example.com}), for a host
     * application that shows it to its users inside its own pages. None by default: the console
     * refuses to be framed. With any, the console's cookies are {@code SameSite=None; Secure;
     * Partitioned}, as browsers require inside a frame, so the console must be served over HTTPS
     * (or on localhost); forms still need the session's CSRF token.
     */
    Optional<List<String>> frameAncestors();
}
