package io.tidings.webhook.internal;

import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.TidingsEndpoint;
import io.tidings.api.internal.Page;
import io.tidings.api.internal.RequiresTenant;
import io.tidings.api.internal.TenantOperationLimit;
import io.tidings.delivery.internal.DeliveryViews;
import io.tidings.delivery.internal.DeliveryStatus;
import io.tidings.delivery.internal.DeliveryView;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.outbox.internal.Ids;
import io.tidings.outbox.internal.TypePattern;
import io.tidings.secrets.internal.WebhookSecrets;
import io.tidings.webhook.internal.WebhookRequests.Auth;
import io.tidings.webhook.internal.WebhookRequests.CreateWebhook;
import io.tidings.webhook.internal.WebhookRequests.Recover;
import io.tidings.webhook.internal.WebhookRequests.UpdateWebhook;

/**
 * A tenant's webhooks. Every call needs the tenant's API key; another tenant's webhook is a 404,
 * as if it did not exist.
 */
@TidingsEndpoint
@RequiresTenant
@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhookResource {

    @Inject
    Caller caller;
    @Inject
    EntityManager entityManager;
    @Inject
    UrlGuard urlGuard;
    @Inject
    WebhookSender sender;
    @Inject
    EventTypeRegistry eventTypes;
    @Inject
    WebhookConfig config;
    @Inject
    Outbox outbox;
    @Inject
    DeliveryViews deliveries;
    @Inject
    Clock clock;
    @Inject
    TenantOperationLimit operations;
    @Inject
    WebhookSecrets secrets;

    /** Creates a webhook; the answer carries its signing secret, which is never shown again. */
    @POST
    @Transactional
    @APIResponse(responseCode = "409", description = "The tenant has as many webhooks as it may have")
    @APIResponse(responseCode = "201", description = "The webhook, with its signing secret shown this once",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    public Response create(@Valid @NotNull CreateWebhook body) {
        UUID tenant = caller.requireTenant();
        checkUrl(body.url());
        checkTokenUrl(body.auth());
        requireRoomFor(tenant);
        String secret = WebhookSignature.newSecret();
        Instant now = now();
        WebhookSubscriber webhook = new WebhookSubscriber(Ids.newId(now), tenant, body.url(), patterns(body.eventTypes()),
                body.description(), sealed(secret), now);
        webhook.setOrdered(Boolean.TRUE.equals(body.ordered()), now);
        setDelivery(webhook, body.headers(), body.auth(), body.retrySchedule(), body.maxPerSecond(), now);
        entityManager.persist(webhook);
        return Response.created(URI.create("/api/webhooks/" + webhook.getId()))
                .entity(WebhookView.of(webhook, eventTypes).withSecret(secret)).build();
    }

    @GET
    public Page<WebhookView> list(@QueryParam("after") String after,
            @QueryParam("limit")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) String limitParameter) {
        int limit = Page.limit(limitParameter);
        UUID tenant = caller.requireTenant();
        UUID cursor = after == null || after.isBlank() ? null : Page.parseCursor("after", after);
        List<WebhookView> webhooks = entityManager.createQuery("FROM WebhookSubscriber w WHERE w.tenantId = :tenant"
                + (cursor == null ? "" : " AND w.id < :cursor") + " ORDER BY w.id DESC", WebhookSubscriber.class)
                .setParameter("tenant", tenant)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(webhook -> WebhookView.of(webhook, eventTypes))
                .toList();
        return Page.of(webhooks, limit, WebhookView::id);
    }

    @GET
    @Path("{id}")
    public WebhookView get(@PathParam("id") UUID id) {
        return WebhookView.of(find(id), eventTypes);
    }

    @PATCH
    @Path("{id}")
    @Transactional
    public WebhookView update(@PathParam("id") UUID id, @Valid @NotNull UpdateWebhook body) {
        if (body.url() != null) {
            checkUrl(body.url());
        }
        checkTokenUrl(body.auth());
        WebhookSubscriber webhook = find(id);
        Instant now = now();
        if (body.url() != null) {
            webhook.setUrl(body.url());
        }
        if (body.eventTypes() != null) {
            webhook.setEventTypes(patterns(body.eventTypes()));
        }
        if (body.ordered() != null) {
            webhook.setOrdered(body.ordered(), now);
        }
        if (body.description() != null) {
            webhook.setDescription(body.description());
        }
        setDelivery(webhook, body.headers(), body.auth(), body.retrySchedule(), body.maxPerSecond(), now);
        if (Boolean.TRUE.equals(body.enabled()) && !webhook.isEnabled()) {
            webhook.enable(now);
        } else if (Boolean.FALSE.equals(body.enabled()) && webhook.isEnabled()) {
            webhook.disable("disabled by its owner", now);
        }
        return WebhookView.of(webhook, eventTypes);
    }

    // How its messages go out; a null setting stays as it is.
    private void setDelivery(WebhookSubscriber webhook, Map<String, String> headers, WebhookRequests.Auth auth,
            List<String> retrySchedule, Integer maxPerSecond, Instant now) {
        if (headers != null || auth != null) {
            setCredentials(webhook, headers, auth, now);
        }
        if (retrySchedule != null) {
            webhook.setRetrySchedule(WebhookRetrySchedule.parse(retrySchedule, config), now);
        }
        if (maxPerSecond != null) {
            webhook.setMaxPerSecond(maxPerSecond == 0 ? null : maxPerSecond, now);
        }
    }

    /** Deletes the webhook with its deliveries. */
    @DELETE
    @Path("{id}")
    @Transactional
    public void delete(@PathParam("id") UUID id) {
        entityManager.remove(find(id));
    }

    /** A new secret; the old one keeps signing too for {@code tidings.webhooks.secret-overlap}. */
    @POST
    @Path("{id}/rotate-secret")
    @Transactional
    public Map<String, String> rotateSecret(@PathParam("id") UUID id) {
        String secret = WebhookSignature.newSecret();
        find(id).rotateSecret(sealed(secret), config.secretOverlap(), now());
        return Map.of("secret", secret);
    }

    /** Sends a {@code webhook:test} message to this webhook alone. */
    @POST
    @Path("{id}/test")
    @Transactional
    @APIResponse(responseCode = "409", description = "The webhook is disabled: enable it first")
    @APIResponse(responseCode = "429", description = "The tenant made too many such requests this minute; Retry-After says when to try again")
    @APIResponse(responseCode = "202", description = "The test message is queued", content = @Content(schema = @Schema(
            type = SchemaType.OBJECT, requiredProperties = "eventId",
            properties = @SchemaProperty(name = "eventId", type = SchemaType.STRING, format = "uuid"))))
    public Response test(@PathParam("id") UUID id) {
        WebhookSubscriber webhook = requireEnabled(find(id));
        operations.take(webhook.getTenantId());
        WebhookEvent event = outbox.registerEventFor(
                new WebhookEvent(WebhookEvent.TEST, webhook.getTenantId(), webhook.getId(), null), webhook.getId());
        return Response.accepted(Map.of("eventId", event.getId())).build();
    }

    @GET
    @Path("{id}/deliveries")
    public Page<DeliveryView> deliveries(@PathParam("id") UUID id, @QueryParam("status") String status,
            @QueryParam("after") String after, @QueryParam("limit")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) String limitParameter)
            throws SQLException {
        int limit = Page.limit(limitParameter);
        find(id);
        UUID cursor = after == null || after.isBlank() ? null : Page.parseCursor("after", after);
        return Page.of(deliveries.list(id, status(status), cursor, limit + 1), limit, DeliveryView::id);
    }

    /** Puts the webhook's dead deliveries created since {@code since} back in the queue. */
    @POST
    @Path("{id}/recover")
    @APIResponse(responseCode = "200", description = "How many dead deliveries are queued again, and whether there are more",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT, requiredProperties = { "recovered", "limit", "more" },
                    properties = { @SchemaProperty(name = "recovered", type = SchemaType.INTEGER),
                            @SchemaProperty(name = "limit", type = SchemaType.INTEGER),
                            @SchemaProperty(name = "more", type = SchemaType.BOOLEAN) })))
    @APIResponse(responseCode = "409", description = "The webhook is disabled: enable it first")
    @APIResponse(responseCode = "429", description = "The tenant made too many such requests this minute; Retry-After says when to try again")
    public Map<String, Object> recover(@PathParam("id") UUID id, @Valid @NotNull Recover body) throws SQLException {
        WebhookSubscriber webhook = requireEnabled(find(id));
        operations.take(webhook.getTenantId());
        int recovered = deliveries.recoverDead(id, body.since(), config.recoverMax(), now());
        // At the cap there may be more: the caller asks again, oldest first, until "more" is false.
        return Map.of("recovered", recovered, "limit", config.recoverMax(), "more", recovered == config.recoverMax());
    }

    private void requireRoomFor(UUID tenant) {
        long webhooks = entityManager.createQuery("SELECT count(w) FROM WebhookSubscriber w WHERE w.tenantId = :tenant",
                Long.class).setParameter("tenant", tenant).getSingleResult();
        if (webhooks >= config.maxPerTenant()) {
            throw ApiException.conflict(null, "This tenant has " + webhooks + " webhooks, the most it may have "
                    + "(tidings.webhooks.max-per-tenant); delete one first");
        }
    }

    private static WebhookSubscriber requireEnabled(WebhookSubscriber webhook) {
        if (!webhook.isEnabled()) {
            throw ApiException.conflict("enabled", "The webhook " + webhook.getId() + " is disabled ("
                    + webhook.getDisabledReason() + "); enable it with PATCH {\"enabled\": true} first");
        }
        return webhook;
    }

    private WebhookSubscriber find(UUID id) {
        UUID tenant = caller.requireTenant();
        WebhookSubscriber webhook = entityManager.find(WebhookSubscriber.class, id);
        if (webhook == null || !tenant.equals(webhook.getTenantId())) {
            throw ApiException.notFound("webhook", id);
        }
        return webhook;
    }

    // Headers and the OAuth client are sealed together; a request that changes one keeps the other.
    private void setCredentials(WebhookSubscriber webhook, Map<String, String> headers, Auth auth, Instant now) {
        ObjectNode credentials = opened(webhook.getSealedCredentials());
        String summary = webhook.getAuthSummary();
        if (headers != null) {
            WebhookHeaders.check(headers);
            credentials.remove(WebhookHeaders.KEY);
            if (!headers.isEmpty()) {
                credentials.set(WebhookHeaders.KEY, WebhookHeaders.node(headers));
            }
        }
        if (auth != null) {
            credentials.remove(WebhookOAuth.KEY);
            summary = null;
            if (!WebhookOAuth.isNone(auth)) {
                credentials.set(WebhookOAuth.KEY, WebhookOAuth.sealedPart(auth));
                summary = WebhookOAuth.summary(auth);
            }
        }
        List<String> names = new ArrayList<>();
        credentials.path(WebhookHeaders.KEY).fieldNames().forEachRemaining(names::add);
        if (credentials.has(WebhookOAuth.KEY) && names.stream().anyMatch("authorization"::equalsIgnoreCase)) {
            throw ApiException.badRequest("auth", "a webhook sends either an Authorization header of its own or OAuth's bearer token");
        }
        webhook.setCredentials(credentials.isEmpty() ? null : sealed(credentials.toString()), names, summary, now);
    }

    private ObjectNode opened(String sealed) {
        try {
            return secrets.openObject(sealed);
        } catch (WebhookSecrets.NoSecretsKey e) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, null, e.getMessage());
        }
    }

    private String sealed(String secret) {
        try {
            return secrets.seal(secret);
        } catch (WebhookSecrets.NoSecretsKey e) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, null, e.getMessage());
        }
    }

    // The host is looked up as the sends will look it up, so a name server that never answers holds
    // the request for the connect timeout at most; and before the transaction's first statement, so
    // that it holds no database connection meanwhile.
    private void checkUrl(String url) {
        checkUrl("url", url);
    }

    // As the webhook's URL is, before the transaction's first statement.
    private void checkTokenUrl(Auth auth) {
        if (auth != null && !WebhookOAuth.isNone(auth)) {
            WebhookOAuth.check(auth);
            checkUrl("auth.tokenUrl", auth.tokenUrl());
        }
    }

    private void checkUrl(String field, String url) {
        try {
            sender.resolve(urlGuard.parse(url).getHost()).join();
        } catch (UrlGuard.RefusedUrl e) {
            throw ApiException.badRequest(field, e.getMessage());
        } catch (CompletionException e) {
            throw ApiException.badRequest(field, e.getCause() instanceof UrlGuard.RefusedUrl refused ? refused.getMessage()
                    : e.getCause() instanceof TimeoutException ? "The URL has a host whose address lookup took too long"
                    : "The URL has a host that does not resolve");
        }
    }

    private Set<TypePattern> patterns(List<String> values) {
        try {
            return TypePattern.coveringSomeWithPins(values, eventTypes.all());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("eventTypes", e.getMessage());
        }
    }

    private static DeliveryStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (DeliveryStatus status : DeliveryStatus.values()) {
            if (status.column().equals(value)) {
                return status;
            }
        }
        throw ApiException.badRequest("status", "'" + value + "' is not a status: use pending, in_flight, delivered or dead");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
