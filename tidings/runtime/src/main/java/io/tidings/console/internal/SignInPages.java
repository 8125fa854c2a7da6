package io.tidings.console.internal;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.qute.TemplateInstance;
import io.tidings.api.internal.KeyHashAuthenticator;
import io.tidings.api.internal.TenantResource.TenantView;
import io.tidings.api.internal.Tenants;
import io.tidings.api.internal.RateLimiter;
import io.vertx.core.http.HttpServerRequest;

/**
 * Signing in with an API key or the admin key, and out. The key travels once, in a form's body; the
 * browser keeps only a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, path
 * {@code /console}; see {@link ConsoleFraming} for a console other sites may frame). A portal link
 * signs a host application's user in for one tenant, without a key.
 */
@ConsolePage
@IfBuildProperty(name = "tidings.console.enabled", stringValue = "true", enableIfMissing = true)
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class SignInPages {

    private static final int MAX_CLIENTS = 100_000;
    private static final String SET_COOKIE = "Set-Cookie";
    private static final String USED_LINK = "This link was used or has expired: ask the application that gave it to you for a new one.";

    @Inject
    ConsoleSessions sessions;
    @Inject
    KeyHashAuthenticator authenticator;
    @Inject
    ConsoleRequest request;
    @Inject
    ConsoleFraming framing;
    @Inject
    Tenants tenants;
    @Context
    UriInfo uri;

    private final RateLimiter signIns;

    @Inject
    public SignInPages(ConsoleConfig config) {
        this.signIns = new RateLimiter(config.signInsPerMinute(), MAX_CLIENTS);
    }

    @GET
    public Response home() {
        return Pages.seeOther(request.isAdmin() ? "/console/outbox" : "/console/webhooks");
    }

    @GET
    @Path("sign-in")
    @SignedOut
    public Response signInForm(@RestCookie(ConsoleFilter.SIGN_IN_COOKIE) String formToken) {
        String token = formToken == null ? ConsoleSessions.randomToken() : formToken;
        return Response.fromResponse(Pages.html(Views.signIn(token, null)))
                .header(SET_COOKIE, cookie(ConsoleFilter.SIGN_IN_COOKIE, token, -1)).build();
    }

    @POST
    @Path("sign-in")
    @SignedOut
    public Response signIn(@RestForm String key, @RestCookie(ConsoleFilter.SIGN_IN_COOKIE) String formToken,
            HttpServerRequest connection) throws Exception {
        // a literal address: no lookup
        String client = RateLimiter.clientOf(InetAddress.getByName(connection.remoteAddress().hostAddress()));
        if (!signIns.take(client, 1)) {
            return Response.fromResponse(Pages.html(429, Views.signIn(formToken,
                    "Too many sign-ins from this address (tidings.console.sign-ins-per-minute): try again in a minute.")))
                    .header("Retry-After", "60").build();
        }
        if (key == null || key.isBlank() || !authenticator.accepts(key.trim())) {
            // the same answer for every bad key, as the API gives
            return Pages.html(401, Views.signIn(formToken, "That key is not valid: use a tenant's API key or the admin key."));
        }
        return signedIn(sessions.open(key.trim()), "/console");
    }

    /**
     * Where a portal link leads: a page that names the tenant and asks to go on. The link is spent by
     * that page's form, never by the GET, so that a prefetcher does not use it up and a page elsewhere
     * cannot sign a visitor in to a tenant of its choosing (the form needs this page's CSRF cookie).
     */
    @GET
    @Path("portal/{token}")
    @SignedOut
    public Response portalPage(@PathParam("token") String token) throws Exception {
        Optional<String> tenant = sessions.portalLinkTenant(token).flatMap(tenants::find).map(TenantView::name);
        String formToken = ConsoleSessions.randomToken();
        TemplateInstance page = tenant.isPresent() ? Views.portal(formToken, token, tenant.get()) : Views.signIn(formToken, USED_LINK);
        return Response.fromResponse(Pages.html(tenant.isPresent() ? 200 : 410, page))
                .header(SET_COOKIE, cookie(ConsoleFilter.SIGN_IN_COOKIE, formToken, -1)).build();
    }

    @POST
    @Path("portal")
    @SignedOut
    public Response portal(@RestForm String token, @RestCookie(ConsoleFilter.SIGN_IN_COOKIE) String formToken) throws Exception {
        Optional<ConsoleSessions.Opened> opened = token == null ? Optional.empty() : sessions.redeemPortalLink(token);
        if (opened.isEmpty()) {
            return Pages.html(410, Views.signIn(formToken, USED_LINK));
        }
        return signedIn(opened.get(), "/console/webhooks");
    }

    private Response signedIn(ConsoleSessions.Opened opened, String to) {
        return Response.seeOther(URI.create(to))
                .header(SET_COOKIE, cookie(ConsoleFilter.SESSION_COOKIE, opened.token(), (int) sessions.lifetime(opened.session()).toSeconds()))
                .header(SET_COOKIE, cookie(ConsoleFilter.SIGN_IN_COOKIE, "", 0))
                .build();
    }

    @POST
    @Path("sign-out")
    public Response signOut(@RestCookie(ConsoleFilter.SESSION_COOKIE) String token) throws Exception {
        sessions.end(token);
        return Response.seeOther(URI.create("/console/sign-in")).header(SET_COOKIE, cookie(ConsoleFilter.SESSION_COOKIE, "", 0)).build();
    }

    private String cookie(String name, String value, int maxAge) {
        return framing.cookie(name, value, maxAge, "https".equals(uri.getRequestUri().getScheme()));
    }
}
