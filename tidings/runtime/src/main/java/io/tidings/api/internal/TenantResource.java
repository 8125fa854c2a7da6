package io.tidings.api.internal;

import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;

/** Tenants and their API keys; the admin key only. */
@TidingsEndpoint
@RequiresAdmin
@Path("/api/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantResource {

    @Inject
    Caller caller;
    @Inject
    ApiKeys keys;
    @Inject
    Tenants tenants;

    public record CreateTenant(@NotBlank @Size(max = 200) String name) {
    }

    /** @param expiresAt when the key stops working; never when absent */
    public record CreateKey(@Size(max = 200) String description, @Future Instant expiresAt) {
    }

    public record TenantView(UUID id, String name, Instant createdAt) {
    }

    /** The key is in this response and nowhere else, ever. */
    public record KeyView(UUID id, UUID tenantId, String key, @Schema(nullable = true) Instant expiresAt) {
    }

    @POST
    @Transactional
    @APIResponse(responseCode = "201", description = "The tenant", content = @Content(schema = @Schema(implementation = TenantView.class)))
    public Response create(@Valid @NotNull CreateTenant body) {
        caller.requireAdmin();
        TenantView tenant = tenants.add(body.name());
        return Response.created(URI.create("/api/tenants/" + tenant.id())).entity(tenant).build();
    }

    /** Oldest first. @param after the {@code next} cursor of the previous page */
    @GET
    public Page<TenantView> list(@QueryParam("after") String after, @QueryParam("limit")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) String limitParameter) {
        int limit = Page.limit(limitParameter);
        caller.requireAdmin();
        UUID cursor = after == null || after.isBlank() ? null : Page.parseCursor("after", after);
        return Page.of(tenants.page(cursor, limit + 1), limit, TenantView::id);
    }

    @GET
    @Path("{id}")
    public TenantView get(@PathParam("id") UUID tenantId) {
        caller.requireAdmin();
        return tenants.find(tenantId).orElseThrow(() -> ApiException.notFound("tenant", tenantId));
    }

    /** Removes the tenant with its keys, webhooks and their deliveries; its events stay until retention. */
    @DELETE
    @Path("{id}")
    @Transactional
    @APIResponse(responseCode = "204", description = "Deleted, with its webhooks, keys and deliveries")
    public Response delete(@PathParam("id") UUID tenantId) {
        caller.requireAdmin();
        if (!tenants.delete(tenantId)) {
            throw ApiException.notFound("tenant", tenantId);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/keys")
    @APIResponse(responseCode = "201", description = "The key, shown this once", content = @Content(schema = @Schema(implementation = KeyView.class)))
    public Response issueKey(@PathParam("id") UUID tenantId, @Valid CreateKey body) throws SQLException {
        caller.requireAdmin();
        requireTenant(tenantId);
        Instant expiresAt = body == null ? null : body.expiresAt();
        ApiKeys.IssuedKey key = keys.issue(tenantId, body == null ? null : body.description(), expiresAt);
        return Response.status(Response.Status.CREATED).entity(new KeyView(key.id(), tenantId, key.key(), expiresAt)).build();
    }

    @GET
    @Path("{id}/keys")
    public List<ApiKeys.KeyInfo> listKeys(@PathParam("id") UUID tenantId) throws SQLException {
        caller.requireAdmin();
        requireTenant(tenantId);
        return keys.list(tenantId);
    }

    /** Revokes a key: every instance refuses it from the next request on. */
    @DELETE
    @Path("{id}/keys/{keyId}")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revokeKey(@PathParam("id") UUID tenantId, @PathParam("keyId") UUID keyId) throws SQLException {
        caller.requireAdmin();
        if (!keys.revoke(tenantId, keyId)) {
            throw ApiException.notFound("API key", keyId);
        }
        return Response.noContent().build();
    }

    private void requireTenant(UUID tenantId) {
        if (tenants.find(tenantId).isEmpty()) {
            throw ApiException.notFound("tenant", tenantId);
        }
    }
}
