package io.tidings.api.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;
import io.tidings.delivery.internal.DeliveryViews;
import io.tidings.delivery.internal.DeliveryStatus;
import io.tidings.delivery.internal.DeliveryView;
import io.tidings.outbox.internal.Subscriber;

/** Single deliveries of the caller's webhooks: what happened to them, and putting them back in the queue. */
@TidingsEndpoint
@RequiresTenant
@Path("/api/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    @Inject
    DeliveryViews deliveries;
    @Inject
    Caller caller;
    @Inject
    Clock clock;
    @Inject
    EntityManager entityManager;
    @Inject
    TenantOperationLimit operations;

    @GET
    @Path("{id}")
    public DeliveryView get(@PathParam("id") UUID id) throws SQLException {
        return find(id);
    }

    /** Puts a dead or delivered delivery back in the queue, due now, with a fresh retry schedule; its message keeps its id. */
    @POST
    @Path("{id}/retry")
    @APIResponse(responseCode = "409", description = "Its webhook is disabled, or the delivery is still pending")
    @APIResponse(responseCode = "429", description = "The tenant made too many such requests this minute; Retry-After says when to try again")
    @APIResponse(responseCode = "202", description = "Queued to be sent again", content = @Content(schema = @Schema(type = SchemaType.OBJECT,
            requiredProperties = { "id", "status" }, properties = { @SchemaProperty(name = "id", type = SchemaType.STRING, format = "uuid"),
                    @SchemaProperty(name = "status", type = SchemaType.STRING) })))
    public Response retry(@PathParam("id") UUID id) throws SQLException {
        DeliveryView delivery = find(id);
        Subscriber subscriber = entityManager.find(Subscriber.class, delivery.webhookId());
        if (subscriber == null || !subscriber.isEnabled()) {
            throw ApiException.conflict("enabled", "The delivery's webhook is disabled; enable it with "
                    + "PATCH /api/webhooks/" + delivery.webhookId() + " {\"enabled\": true} first");
        }
        operations.take(caller.requireTenant());
        if (!deliveries.retryNow(id, clock.instant().truncatedTo(ChronoUnit.MICROS))) {
            throw ApiException.conflict("status", "The delivery " + id + " is " + delivery.status()
                    + "; only dead or delivered deliveries can be retried");
        }
        return Response.accepted(Map.of("id", id, "status", DeliveryStatus.PENDING.column())).build();
    }

    private DeliveryView find(UUID id) throws SQLException {
        return deliveries.find(id, caller.requireTenant()).orElseThrow(() -> ApiException.notFound("delivery", id));
    }
}
