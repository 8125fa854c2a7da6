package io.tidings.console;

import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tidings.PublicApi;
import io.tidings.console.internal.ConsolePortal;

/**
 * Hands a host application's user into the console for one tenant, without the tenant ever holding
 * an API key: a short-lived link ({@code tidings.console.portal-link-duration}, 10 minutes by
 * default) that opens a console session for that tenant alone, once. Put it in a link or an
 * {@code <iframe>} (see {@code tidings.console.frame-ancestors}) in front of a user the host
 * application has signed in itself.
 */
@PublicApi
@ApplicationScoped
public class PortalLinks {

    /** @param path the link's path on the console's host, {@code /console/portal/<token>}; the token is in it alone */
    public record PortalLink(String path, Instant expiresAt) {
    }

    @Inject
    ConsolePortal portal;

    /**
     * A new link for the tenant.
     *
     * @throws IllegalArgumentException when there is no such tenant
     */
    public PortalLink issue(UUID tenantId) throws SQLException {
        return portal.issue(tenantId);
    }
}
