package io.tidings.console.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.tidings.analytics.internal.EventTypeResource.EventTypeView;
import io.tidings.api.internal.ApiKeys;
import io.tidings.api.internal.TenantResource.TenantView;
import io.tidings.delivery.internal.DeliveryView;
import io.tidings.delivery.internal.OutboxStats;
import io.tidings.sink.internal.SinkResource.SinkView;
import io.tidings.sink.internal.SinkResource.StreamView;
import io.tidings.webhook.internal.WebhookSubscriber;
import io.tidings.webhook.internal.WebhookView;

@TemplateData(target = WebhookView.class)
@TemplateData(target = DeliveryView.class)
@TemplateData(target = DeliveryView.Attempt.class)
@TemplateData(target = OutboxStats.Snapshot.class)
@TemplateData(target = TenantView.class)
@TemplateData(target = ApiKeys.KeyInfo.class)
@TemplateData(target = WebhookSubscriber.class)
@TemplateData(target = Frame.class)
@TemplateData(target = WebhookForm.class)
@TemplateData(target = LagHistory.Chart.class)
@TemplateData(target = SinkView.class)
@TemplateData(target = StreamView.class)
@TemplateData(target = EventTypeView.class)
@TemplateData(target = EventTypePages.CatalogEntry.class)
/** The console's pages, HTML-escaped by Qute: what a tenant wrote is shown as text, never as markup. */
@CheckedTemplate(basePath = "tidings-console")
final class Views {

    private Views() {
    }

    static native TemplateInstance refused();

    static native TemplateInstance signIn(String csrf, String error);

    static native TemplateInstance portal(String csrf, String token, String tenant);

    static native TemplateInstance error(Frame frame, int status, String message);

    static native TemplateInstance webhooks(Frame frame, List<WebhookView> webhooks, WebhookForm form, String error);

    /** @param after the cursor of the page shown, null or blank for the latest @param older the next page's, null for none */
    static native TemplateInstance webhook(Frame frame, WebhookView webhook, WebhookForm form, List<DeliveryView> deliveries,
            String status, String after, String older, String error);

    static native TemplateInstance deleteWebhook(Frame frame, WebhookView webhook);

    static native TemplateInstance secret(Frame frame, UUID webhookId, String secret);

    static native TemplateInstance delivery(Frame frame, DeliveryView delivery);

    static native TemplateInstance outbox(Frame frame, OutboxStats.Snapshot stats, LagHistory.Chart chart,
            List<WebhookSubscriber> disabled, Map<UUID, String> tenantNames, List<SinkView> streams, String error);

    static native TemplateInstance eventTypes(Frame frame, List<EventTypePages.CatalogEntry> types);

    static native TemplateInstance tenants(Frame frame, List<TenantView> tenants, String error);

    static native TemplateInstance tenant(Frame frame, TenantView tenant, List<ApiKeys.KeyInfo> keys, String newKey);
}
