package io.tidings.webhook.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;
import io.tidings.api.internal.RequiresAdmin;
import io.tidings.outbox.internal.EventTypeRegistry;

/**
 * The operator's grant of private metadata to one webhook: the admin key only, since a tenant
 * cannot grant itself what the operator has not released.
 */
@TidingsEndpoint
@RequiresAdmin
@Path("/api/tenants/{tenant}/webhooks/{id}/private-metadata")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PrivateMetadataGrantResource {

    @Inject
    Caller caller;
    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;
    @Inject
    EventTypeRegistry eventTypes;

    public record Grant(@NotNull Boolean granted) {
    }

    @PUT
    @Transactional
    public WebhookView grant(@PathParam("tenant") UUID tenant, @PathParam("id") UUID id, @Valid @NotNull Grant body) {
        caller.requireAdmin();
        WebhookSubscriber webhook = entityManager.find(WebhookSubscriber.class, id);
        if (webhook == null || !tenant.equals(webhook.getTenantId())) {
            throw ApiException.notFound("webhook", id);
        }
        webhook.grantPrivateMetadata(body.granted(), clock.instant().truncatedTo(ChronoUnit.MICROS));
        return WebhookView.of(webhook, eventTypes);
    }
}
