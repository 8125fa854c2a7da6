package io.tidings.api;

import java.net.URI;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Tenants and their API keys; the admin key only. */
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
    EntityManager entityManager;

    public record CreateTenant(@NotBlank @Size(max = 200) String name) {
    }

    public record CreateKey(@Size(max = 200) String description) {
    }

    public record TenantView(UUID id, String name) {
    }

    /** The key is in this response and nowhere else, ever. */
    public record KeyView(UUID id, UUID tenantId, String key) {
    }

    @POST
    @Transactional
    public Response create(@Valid @NotNull CreateTenant body) {
        caller.requireAdmin();
        UUID id = UUID.randomUUID();
        entityManager.createNativeQuery("INSERT INTO tenants (id, name) VALUES (?1, ?2)")
                .setParameter(1, id).setParameter(2, body.name()).executeUpdate();
        return Response.created(URI.create("/api/tenants/" + id)).entity(new TenantView(id, body.name())).build();
    }

    @POST
    @Path("{id}/keys")
    public Response issueKey(@PathParam("id") UUID tenantId, @Valid CreateKey body) throws SQLException {
        caller.requireAdmin();
        if (entityManager.createNativeQuery("SELECT 1 FROM tenants WHERE id = ?1").setParameter(1, tenantId)
                .getResultList().isEmpty()) {
            throw ApiException.notFound("tenant", tenantId);
        }
        ApiKeys.IssuedKey key = keys.issue(tenantId, body == null ? null : body.description());
        return Response.status(Response.Status.CREATED).entity(new KeyView(key.id(), tenantId, key.key())).build();
    }

}
