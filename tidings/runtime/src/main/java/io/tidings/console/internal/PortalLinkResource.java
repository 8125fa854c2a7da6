package io.tidings.console.internal;

import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.arc.properties.IfBuildProperty;
import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;
import io.tidings.api.internal.RequiresAdmin;
import io.tidings.console.PortalLinks.PortalLink;

/** Portal links over the API, for a host application that is not in the same process: the admin key only. */
@TidingsEndpoint
@RequiresAdmin
@IfBuildProperty(name = "tidings.console.enabled", stringValue = "true", enableIfMissing = true)
@Path("/api/tenants/{id}/portal-links")
@Produces(MediaType.APPLICATION_JSON)
public class PortalLinkResource {

    /** @param url where to send the tenant's user, or what to frame: it signs them in once, until {@code expiresAt} */
    public record PortalLinkView(@Schema(examples = "https://tidings.example.com/console/portal/3q2-...") String url,
            Instant expiresAt) {
    }

    @Inject
    Caller caller;
    @Inject
    ConsolePortal portal;
    @Inject
    ConsoleConfig config;
    @Context
    UriInfo uri;

    @POST
    @APIResponse(responseCode = "201", description = "A single-use link into the console for this tenant alone",
            content = @Content(schema = @Schema(implementation = PortalLinkView.class)))
    @APIResponse(responseCode = "404", description = "No such tenant")
    public Response issue(@PathParam("id") UUID tenantId) throws SQLException {
        caller.requireAdmin();
        if (!config.enabled()) {
            throw new ApiException(Response.Status.NOT_FOUND, null, "The console is off here (tidings.console.enabled=false)");
        }
        PortalLink link;
        try {
            link = portal.issue(tenantId);
        } catch (IllegalArgumentException noSuchTenant) {
            throw ApiException.notFound("tenant", tenantId);
        }
        URI url = uri.getBaseUriBuilder().replacePath(link.path()).build();
        return Response.status(Response.Status.CREATED).entity(new PortalLinkView(url.toString(), link.expiresAt())).build();
    }
}
