package io.tidings.console.internal;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.arc.properties.IfBuildProperty;
import io.tidings.api.internal.DeliveryResource;

/** One delivery with every attempt, and retrying it. */
@ConsolePage
@IfBuildProperty(name = "tidings.console.enabled", stringValue = "true", enableIfMissing = true)
@Path("/console/deliveries")
@Produces(MediaType.TEXT_HTML)
public class DeliveryPages {

    @Inject
    DeliveryResource api;
    @Inject
    Pages pages;

    @GET
    @Path("{id}")
    public Response delivery(@RestPath UUID id, @RestQuery String notice) throws Exception {
        return pages.guarded(() -> Pages.html(Views.delivery(pages.frame(notice), api.get(id))));
    }

    @POST
    @Path("{id}/retry")
    public Response retry(@RestPath UUID id) throws Exception {
        return pages.guarded(() -> {
            api.retry(id);
            return Pages.seeOther("/console/deliveries/" + id + "?" + Notice.RETRIED.query());
        });
    }
}
