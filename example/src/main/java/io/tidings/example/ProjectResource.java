package io.tidings.example;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.tidings.api.ApiError;
import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.PublicEndpoint;
import io.tidings.api.TidingsEndpoint;
import io.tidings.example.Views.JobView;
import io.tidings.example.Views.ProjectView;
import io.tidings.outbox.Outbox;

/**
 * The demonstration application: every change is written with its event in one transaction. It
 * needs no credential; a tenant's API key, when sent, makes the project and its events that tenant's.
 */
@TidingsEndpoint
@ExampleEndpoint
@PublicEndpoint
@APIResponse(responseCode = "400", description = "The request is malformed: the error names the field",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "404", description = "Nothing with that id", content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "415", description = "The body is not application/json",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@Path("/api/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProjectResource {

    @Inject
    Outbox outbox;
    @Inject
    Clock clock;
    @Inject
    Caller caller;

    @POST
    @Transactional
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ProjectView.class)))
    public Response create(@Valid @NotNull Requests.CreateProject body) {
        Project project = Project.create(caller.tenantOrNull(), body.name(), body.description(), now());
        project.persist();
        outbox.registerEvent(new ProjectEvent("project:created", project));
        return Response.created(URI.create("/api/projects/" + project.id)).entity(ProjectView.of(project)).build();
    }

    @GET
    @Path("{id}")
    public ProjectView get(@PathParam("id") UUID id) {
        return ProjectView.of(find(id));
    }

    @PATCH
    @Path("{id}")
    @Transactional
    public ProjectView update(@PathParam("id") UUID id, @Valid @NotNull Requests.UpdateProject body) {
        if (body.name() == null && body.description() == null) {
            throw ApiException.badRequest("name", "Give a name, a description or both to change");
        }
        Project project = find(id);
        if (body.name() != null) {
            project.name = body.name();
        }
        if (body.description() != null) {
            project.description = body.description();
        }
        project.updatedAt = now();
        outbox.registerEvent(new ProjectEvent("project:updated", project));
        return ProjectView.of(project);
    }

    @DELETE
    @Path("{id}")
    @Transactional
    public void delete(@PathParam("id") UUID id) {
        Project project = find(id);
        outbox.registerEvent(new ProjectEvent("project:deleted", project));
        project.delete();
    }

    @POST
    @Path("{id}/jobs")
    @Transactional
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = JobView.class)))
    public Response createJob(@PathParam("id") UUID id, @Valid @NotNull Requests.CreateJob body) {
        Job job = Job.create(find(id), body.name(), now());
        job.persist();
        outbox.registerEvent(new JobEvent("project:job:created", job));
        return Response.created(URI.create("/api/jobs/" + job.id)).entity(JobView.of(job)).build();
    }

    private Project find(UUID id) {
        Project project = Project.findById(id);
        if (project == null || !project.visibleTo(caller.tenantOrNull())) {
            throw ApiException.notFound("project", id);
        }
        return project;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
