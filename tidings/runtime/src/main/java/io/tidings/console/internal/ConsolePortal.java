package io.tidings.console.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.api.internal.Tenants;
import io.tidings.console.PortalLinks.PortalLink;

/** Issues portal links: a tenant's single-use way into the console, for {@code portal-link-duration}. */
@Singleton
public class ConsolePortal {

    static final String PATH = "/console/portal/";

    private final ConsoleSessions sessions;
    private final Tenants tenants;
    private final ConsoleConfig config;
    private final Clock clock;

    @Inject
    ConsolePortal(ConsoleSessions sessions, Tenants tenants, ConsoleConfig config, Clock clock) {
        this.sessions = sessions;
        this.tenants = tenants;
        this.config = config;
        this.clock = clock;
    }

    /** @throws IllegalArgumentException when there is no such tenant */
    public PortalLink issue(UUID tenant) throws SQLException {
        if (tenants.find(tenant).isEmpty()) {
            throw new IllegalArgumentException("There is no tenant " + tenant);
        }
        String token = sessions.issuePortalLink(tenant, config.portalLinkDuration());
        return new PortalLink(PATH + token, clock.instant().plus(config.portalLinkDuration()));
    }
}
