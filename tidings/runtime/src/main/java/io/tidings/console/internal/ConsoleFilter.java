package io.tidings.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.tidings.api.Caller;
import io.tidings.api.internal.Credential;
import io.tidings.api.internal.KeyHashAuthenticator;

/**
 * Signs console requests in from the session cookie (with the checks the API makes of a key), sends
 * a browser without a session to the sign-in page, refuses any form posted without the session's
 * CSRF token, and gives every console page strict security headers. Console pages only.
 */
public class ConsoleFilter {

    static final String SESSION_COOKIE = "tidings_console";
    static final String SIGN_IN_COOKIE = "tidings_console_sign_in";
    static final String CSRF_FIELD = "csrf";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    ConsoleSessions sessions;
    @Inject
    KeyHashAuthenticator authenticator;
    @Inject
    ConsoleRequest request;
    @Inject
    Caller caller;
    @Inject
    ConsoleConfig config;
    @Inject
    ConsoleFraming framing;
    @Inject
    Credential credential;

    @WithFormRead
    @ServerRequestFilter
    @ConsolePage
    public Optional<Response> signIn(ResteasyReactiveContainerRequestContext context, ResourceInfo resource) throws SQLException {
        if (!config.enabled()) {
            return Optional.of(Response.status(Response.Status.NOT_FOUND).build());
        }
        Cookie cookie = context.getCookies().get(SESSION_COOKIE);
        if (cookie != null) {
            Optional<ConsoleSessions.Session> session = sessions.find(cookie.getValue());
            if (session.isPresent() && session.get().portalTenant() != null) {
                credential.tenant(session.get().portalTenant()); // the session ends with its tenant
                request.signedIn(session.get(), false);
            } else if (session.isPresent() && authenticator.authenticate(session.get().keyHash())) {
                request.signedIn(session.get(), caller.isAdmin());
            }
        }
        boolean signInPage = resource.getResourceMethod().isAnnotationPresent(SignedOut.class);
        if (!request.isSignedIn() && !signInPage) {
            return Optional.of(Pages.seeOther("/console/sign-in"));
        }
        if (!SAFE_METHODS.contains(context.getMethod())) {
            Cookie signIn = context.getCookies().get(SIGN_IN_COOKIE);
            String expected = signInPage ? (signIn == null ? null : signIn.getValue()) : request.csrfToken();
            Object given = ((ResteasyReactiveRequestContext) context.getServerRequestContext()).getFormParameter(CSRF_FIELD, true, false);
            if (!same(expected, given)) {
                return Optional.of(Pages.html(403, Views.refused()));
            }
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    @ConsolePage
    public void securityHeaders(ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", framing.contentSecurityPolicy());
        headers.putSingle("X-Content-Type-Options", "nosniff");
        if (!framing.framed()) {
            headers.putSingle("X-Frame-Options", "DENY"); // for browsers older than frame-ancestors
        }
        headers.putSingle("Referrer-Policy", "no-referrer");
        headers.putSingle("Cache-Control", "no-store");
    }

    private static boolean same(String expected, Object given) {
        return expected != null && given instanceof String text
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8));
    }
}
