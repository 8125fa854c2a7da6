package io.tidings.console.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.arc.properties.IfBuildProperty;
import io.tidings.api.ApiException;
import io.tidings.api.internal.Page;
import io.tidings.delivery.internal.DeliveryView;
import io.tidings.webhook.internal.WebhookRequests.CreateWebhook;
import io.tidings.webhook.internal.WebhookRequests.Recover;
import io.tidings.webhook.internal.WebhookRequests.UpdateWebhook;
import io.tidings.webhook.internal.WebhookResource;
import io.tidings.webhook.internal.WebhookView;

/** A tenant's webhooks in the console: every action goes through the API's resource, with its checks. */
@ConsolePage
@IfBuildProperty(name = "tidings.console.enabled", stringValue = "true", enableIfMissing = true)
@Path("/console/webhooks")
@Produces(MediaType.TEXT_HTML)
public class WebhookPages {

    private static final int SHOWN = 100;

    @Inject
    WebhookResource api;
    @Inject
    Pages pages;

    @GET
    public Response list(@RestQuery String notice) throws Exception {
        return pages.guarded(() -> Pages.html(Views.webhooks(pages.frame(notice), webhooks(), WebhookForm.EMPTY, null)));
    }

    @POST
    public Response create(@RestForm String url, @RestForm String eventTypes, @RestForm String description,
            @RestForm boolean ordered, @RestForm String maxPerSecond) throws Exception {
        WebhookForm form = new WebhookForm(url, eventTypes, description, ordered, maxPerSecond);
        return pages.guarded(() -> {
            try {
                WebhookView created = (WebhookView) api.create(pages.valid(new CreateWebhook(url, form.patterns(),
                        form.descriptionOrNull(), ordered, null, null, null, form.rateLimit()))).getEntity();
                return Pages.html(201, Views.secret(pages.frame(null), created.id(), created.secret()));
            } catch (ApiException | ConstraintViolationException e) {
                return Pages.html(Pages.statusOf(e), Views.webhooks(pages.frame(null), webhooks(), form, Pages.problem(e)));
            }
        });
    }

    @GET
    @Path("{id}")
    public Response webhook(@RestPath UUID id, @RestQuery String status, @RestQuery String after, @RestQuery String notice)
            throws Exception {
        return pages.guarded(() -> {
            WebhookView webhook = api.get(id);
            Page<DeliveryView> deliveries = api.deliveries(id, status, after, String.valueOf(SHOWN)); // blank is absent there
            return Pages.html(Views.webhook(pages.frame(notice), webhook, WebhookForm.of(webhook), deliveries.items(),
                    status == null ? "" : status, after, deliveries.next(), null));
        });
    }

    @POST
    @Path("{id}")
    public Response edit(@RestPath UUID id, @RestForm String url, @RestForm String eventTypes, @RestForm String description,
            @RestForm boolean ordered, @RestForm String maxPerSecond) throws Exception {
        WebhookForm form = new WebhookForm(url, eventTypes, description, ordered, maxPerSecond);
        // a blank description clears it, as the API's empty string does; a blank rate removes the limit
        return action(id, () -> api.update(id, pages.valid(new UpdateWebhook(url, form.patterns(),
                description == null ? "" : description, null, ordered, null, null, null, form.rateLimit()))), Notice.SAVED, form);
    }

    @POST
    @Path("{id}/rotate")
    public Response rotate(@RestPath UUID id) throws Exception {
        return pages.guarded(() -> Pages.html(Views.secret(pages.frame(null), id, api.rotateSecret(id).get("secret"))));
    }

    @POST
    @Path("{id}/test")
    public Response test(@RestPath UUID id) throws Exception {
        return action(id, () -> api.test(id), Notice.TEST_SENT);
    }

    @POST
    @Path("{id}/enable")
    public Response enable(@RestPath UUID id) throws Exception {
        return action(id, () -> api.update(id, new UpdateWebhook(null, null, null, true, null)), Notice.ENABLED);
    }

    @POST
    @Path("{id}/disable")
    public Response disable(@RestPath UUID id) throws Exception {
        return action(id, () -> api.update(id, new UpdateWebhook(null, null, null, false, null)), Notice.DISABLED);
    }

    /** @param since a {@code datetime-local} value, read as UTC as the page says */
    @POST
    @Path("{id}/recover")
    public Response recover(@RestPath UUID id, @RestForm String since) throws Exception {
        return action(id, () -> api.recover(id, new Recover(utc(since))), Notice.RECOVERED);
    }

    /** The step before a delete, which takes the deliveries with it: a page that asks, and a form that does it. */
    @GET
    @Path("{id}/delete")
    public Response confirmDelete(@RestPath UUID id) throws Exception {
        return pages.guarded(() -> Pages.html(Views.deleteWebhook(pages.frame(null), api.get(id))));
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@RestPath UUID id) throws Exception {
        return pages.guarded(() -> {
            api.delete(id);
            return Pages.seeOther("/console/webhooks?" + Notice.DELETED.query());
        });
    }

    private interface Call {
        void run() throws Exception;
    }

    private Response action(UUID id, Call call, Notice done) throws Exception {
        return action(id, call, done, null);
    }

    /** @param typed the form as sent, shown again on a refusal; null shows the webhook as it is */
    private Response action(UUID id, Call call, Notice done, WebhookForm typed) throws Exception {
        return pages.guarded(() -> {
            try {
                call.run();
                return Pages.seeOther(path(id, done));
            } catch (ApiException | ConstraintViolationException e) {
                WebhookView webhook = api.get(id);
                return Pages.html(Pages.statusOf(e), Views.webhook(pages.frame(null), webhook,
                        typed == null ? WebhookForm.of(webhook) : typed, deliveries(id), "", null, null, Pages.problem(e)));
            }
        });
    }

    private List<WebhookView> webhooks() {
        return api.list(null, String.valueOf(SHOWN)).items();
    }

    private List<DeliveryView> deliveries(UUID id) throws Exception {
        return api.deliveries(id, null, null, String.valueOf(SHOWN)).items();
    }

    private static String path(UUID id, Notice notice) {
        return "/console/webhooks/" + id + "?" + notice.query();
    }

    private static Instant utc(String since) {
        if (since == null || since.isBlank()) {
            throw ApiException.badRequest("since", "since is required: the time from which dead deliveries come back");
        }
        try {
            return LocalDateTime.parse(since).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("since", "since must be a date and time such as 2026-11-20T00:00");
        }
    }
}
