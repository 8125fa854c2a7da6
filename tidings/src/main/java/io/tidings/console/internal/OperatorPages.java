package io.tidings.console.internal;

import java.util.List;
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
import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.internal.TenantResource;
import io.tidings.api.internal.TenantResource.CreateKey;
import io.tidings.api.internal.TenantResource.CreateTenant;
import io.tidings.api.internal.TenantResource.KeyView;
import io.tidings.api.internal.TenantResource.TenantView;
import io.tidings.ops.internal.OutboxStats;
import io.tidings.webhook.internal.WebhookSubscriber;

/** What the admin key sees: the outbox's state and lag, and tenants with their keys. */
@ConsolePage
@IfBuildProperty(name = "tidings.console.enabled", stringValue = "true", enableIfMissing = true)
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class OperatorPages {

    @Inject
    TenantResource tenants;
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
    public Response outbox() throws Exception {
        return pages.guarded(() -> {
            caller.requireAdmin();
            OutboxStats.Snapshot now = stats.read();
            List<WebhookSubscriber> disabled = entityManager.createQuery(
                    "FROM WebhookSubscriber w WHERE w.enabled = false ORDER BY w.disabledAt DESC NULLS LAST", WebhookSubscriber.class)
                    .setMaxResults(DISABLED_SHOWN).getResultList();
            return Pages.html(Views.outbox(pages.frame(null), now, lag.chart(), disabled));
        });
    }

    @GET
    @Path("tenants")
    public Response tenantList(@RestQuery String notice) throws Exception {
        return pages.guarded(() -> Pages.html(Views.tenants(pages.frame(notice), tenants.list(null, 500).items(), null)));
    }

    @POST
    @Path("tenants")
    public Response createTenant(@RestForm String name) throws Exception {
        return pages.guarded(() -> {
            try {
                TenantView tenant = (TenantView) tenants.create(pages.valid(new CreateTenant(name))).getEntity();
                return Pages.seeOther("/console/tenants/" + tenant.id());
            } catch (ApiException | ConstraintViolationException e) {
                return Pages.html(Pages.statusOf(e), Views.tenants(pages.frame(null), tenants.list(null, 500).items(), Pages.problem(e)));
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
}
