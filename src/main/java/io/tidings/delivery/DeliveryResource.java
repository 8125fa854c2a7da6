package io.tidings.delivery;

import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.tidings.api.ApiException;

/** Operations on single deliveries. */
@Path("/api/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    @Inject
    DeliveryRepository repository;
    @Inject
    Clock clock;

    /** Puts a dead or delivered delivery back in the queue, due now; its message keeps its id. */
    @POST
    @Path("{id}/retry")
    public Response retry(@PathParam("id") UUID id) throws SQLException {
        if (repository.retryNow(id, clock.instant().truncatedTo(ChronoUnit.MICROS))) {
            return Response.accepted(Map.of("id", id, "status", DeliveryStatus.PENDING.column())).build();
        }
        String status = repository.status(id);
        if (status == null) {
            throw ApiException.notFound("delivery", id);
        }
        throw ApiException.conflict("status", "The delivery " + id + " is " + status
                + "; only dead or delivered deliveries can be retried");
    }
}
