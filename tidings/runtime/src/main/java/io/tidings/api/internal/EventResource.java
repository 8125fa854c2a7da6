package io.tidings.api.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;
import io.tidings.outbox.Event;
import io.tidings.outbox.internal.TypePattern;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The recorded events, newest first, with the notification payload each one carries: a tenant's
 * key sees that tenant's events, the admin key all of them (those of no tenant included). Without a
 * key, nothing: payloads carry the fields marked {@code x-pii}.
 */
@TidingsEndpoint
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    @Inject
    EntityManager entityManager;
    @Inject
    Caller caller;

    /**
     * @param type  an event type or pattern ({@code project:*}); all types when absent
     * @param after the {@code next} cursor of the previous page
     * @param limit page size, 1 to 500
     */
    @GET
    public Page<EventView> list(@QueryParam("type") String type, @QueryParam("after") String after,
            @QueryParam("limit")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) String limitParameter) {
        int limit = Page.limit(limitParameter);
        TypePattern pattern = type == null || type.isBlank() ? new TypePattern("*") : parsePattern(type);
        UUID cursor = after == null || after.isBlank() ? null : Page.parseCursor("after", after);
        UUID tenant = caller.isAdmin() ? null : caller.requireTenant();
        String jpql = "FROM Event e WHERE (:cursor IS NULL OR e.id < :cursor)"
                + (tenant == null ? "" : " AND e.tenantId = :tenant")
                + " AND function('tidings_type_matches', :pattern, e.type) = true" // the rule lives in SQL once
                + " ORDER BY e.id DESC";
        TypedQuery<Event> query = entityManager.createQuery(jpql, Event.class)
                .setParameter("cursor", cursor)
                .setParameter("pattern", pattern.value())
                .setMaxResults(limit + 1);
        if (tenant != null) {
            query.setParameter("tenant", tenant);
        }
        List<EventView> events = query.getResultList().stream().map(EventView::of).toList();
        return Page.of(events, limit, EventView::id);
    }

    private static TypePattern parsePattern(String type) {
        try {
            return TypePattern.unpinned(type);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("type", e.getMessage());
        }
    }

    /** An event as the API shows it. */
    public record EventView(UUID id, String type, Instant occurredAt, Instant recordedAt, ObjectNode payload) {

        static EventView of(Event event) {
            return new EventView(event.getId(), event.getType(), event.getOccurredAt(), event.getRecordedAt(),
                    event.toNotificationPayload());
        }
    }
}
