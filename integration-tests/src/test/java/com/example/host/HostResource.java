package com.example.host;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A host application's own endpoints beside Tidings': its own bearer tokens, its own validation,
 * its own JSON. Nothing of Tidings' request handling may reach them.
 */
@Path("/host")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class HostResource {

    public static final String TOKEN = "host-session-token";

    public record Thing(@NotBlank String name) {
    }

    @GET
    @Path("/me")
    public Response me(@HeaderParam("Authorization") String authorization) {
        if (!("Bearer " + TOKEN).equals(authorization)) {
            return Response.status(401).entity("{\"host\":\"who are you?\"}").build();
        }
        return Response.ok("{\"host\":\"hello\"}").build();
    }

    @POST
    @Path("/things")
    public Thing create(@Valid Thing thing) {
        return thing;
    }

    @GET
    @Path("/teapot")
    public String teapot() {
        throw new WebApplicationException(Response.status(418).entity("short and stout").type(MediaType.TEXT_PLAIN).build());
    }
}
