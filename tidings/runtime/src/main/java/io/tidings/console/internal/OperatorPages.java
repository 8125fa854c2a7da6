package io.tidings.console.internal;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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
import io.quarkus.qute.TemplateInstance;
import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.internal.Page;
import io.tidings.api.internal.TenantResource;
import io.tidings.api.internal.TenantResource.CreateKey;
import io.tidings.api.internal.TenantResource.CreateTenant;
import io.tidings.api.internal.TenantResource.KeyView;
import io.tidings.api.internal.TenantResource.TenantView;
import io.tidings.api.internal.Tenants;
import io.tidings.delivery.internal.OutboxStats;
import io.tidings.sink.internal.SinkResource;
import io.tidings.sink.internal.SinkResource.Reposition;
import io.tidings.sink.internal.SinkResource.SinkView;
import io.tidings.webhook.internal.WebhookSubscriber;

/** What the admin key sees: the outbox's state and lag, its streams, and tenants with their keys. */
@ConsolePage
@IfBuildProperty(name = "tidings.console.enabled", stringValue = "true", enableIfMissing = true)
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class OperatorPages {

    @Inject
    TenantResource tenants;
    @Inject
    SinkResource sinks;
    @Inject
    Tenants tenantRows;
    @Inject
    OutboxStats stats;
    @Inject
    LagHistory lag;
    @Inject
    Caller caller;
    @Inject
    Pages pages;
    @Inject
    EntityManager entityManager;

    private static final int DISABLED_SHOWN = 50;

    @GET
    @Path("outbox")
    public Response outbox(@RestQuery String notice) throws Exception {
        return pages.guarded(() -> Pages.html(outboxPage(notice, null)));
    }

    /** Starts a stream again from {@code now}, the {@code beginning} or a time, as the API does. */
    @POST
    @Path("streams/{id}/position")
    public Response reposition(@RestPath UUID id, @RestForm String start) throws Exception {
        return pages.guarded(() -> {
            try {
                sinks.reposition(id, pages.valid(new Reposition(start)));
                return Pages.seeOther("/console/outbox?" + Notice.REPOSITIONED.query());
            } catch (ApiException | ConstraintViolationException e) {
                return Pages.html(Pages.statusOf(e), outboxPage(null, Pages.problem(e)));
            }
        });
    }

    @GET
    @Path("tenants")
    public Response tenantList(@RestQuery String notice) throws Exception {
        return pages.guarded(() -> Pages.html(Views.tenants(pages.frame(notice), tenants.list(null, String.valueOf(Page.MAX_LIMIT)).items(), null)));
    }

    @POST
    @Path("tenants")
    public Response createTenant(@RestForm String name) throws Exception {
        return pages.guarded(() -> {
            try {
                TenantView tenant = (TenantView) tenants.create(pages.valid(new CreateTenant(name))).getEntity();
                return Pages.seeOther("/console/tenants/" + tenant.id());
            } catch (ApiException | ConstraintViolationException e) {
                return Pages.html(Pages.statusOf(e), Views.tenants(pages.frame(null), tenants.list(null, String.valueOf(Page.MAX_LIMIT)).items(), Pages.problem(e)));
            }
        });
    }

    @GET
    @Path("tenants/{id}")
    public Response tenant(@RestPath UUID id, @RestQuery String notice) throws Exception {
        return pages.guarded(() -> Pages.html(Views.tenant(pages.frame(notice), tenants.get(id), tenants.listKeys(id), null)));
    }

    /** The new key is on this page and nowhere else, ever. */
    @POST
    @Path("tenants/{id}/keys")
    public Response issueKey(@RestPath UUID id, @RestForm String description) throws Exception {
        return pages.guarded(() -> {
            String text = description == null || description.isBlank() ? null : description;
            KeyView key = (KeyView) tenants.issueKey(id, pages.valid(new CreateKey(text, null))).getEntity();
            return Pages.html(201, Views.tenant(pages.frame(null), tenants.get(id), tenants.listKeys(id), key.key()));
        });
    }

    @POST
    @Path("tenants/{id}/keys/{keyId}/revoke")
    public Response revokeKey(@RestPath UUID id, @RestPath UUID keyId) throws Exception {
        return pages.guarded(() -> {
            tenants.revokeKey(id, keyId);
            return Pages.seeOther("/console/tenants/" + id + "?" + Notice.REVOKED.query());
        });
    }

    private TemplateInstance outboxPage(String notice, String error) throws SQLException {
        caller.requireAdmin();
        OutboxStats.Snapshot now = stats.read();
        List<WebhookSubscriber> disabled = entityManager.createQuery(
                "FROM WebhookSubscriber w WHERE w.enabled = false ORDER BY w.disabledAt DESC NULLS LAST", WebhookSubscriber.class)
                .setMaxResults(DISABLED_SHOWN).getResultList();
        List<SinkView> streams = sinks.list().stream().filter(sink -> sink.stream() != null).toList();
        Map<UUID, String> tenantNames = new HashMap<>(); // a disabled webhook's tenant by name, not id
        disabled.stream().map(WebhookSubscriber::getTenantId).distinct()
                .forEach(tenant -> tenantNames.put(tenant, tenantRows.find(tenant).map(TenantView::name).orElse(tenant.toString())));
        return Views.outbox(pages.frame(notice), now, lag.chart(), disabled, tenantNames, streams, error);
    }
}
