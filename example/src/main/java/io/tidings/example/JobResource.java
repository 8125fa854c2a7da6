package io.tidings.example;

import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import io.tidings.example.Views.RunView;
import io.tidings.outbox.Outbox;

@TidingsEndpoint
@ExampleEndpoint
@PublicEndpoint
@APIResponse(responseCode = "400", description = "The request is malformed: the error names the field",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "404", description = "Nothing with that id", content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "415", description = "The body is not application/json",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "409", description = "The life of a job or run does not allow that change",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    Outbox outbox;
    @Inject
    Clock clock;
    @Inject
    Caller caller;

    @GET
    @Path("{id}")
    public JobView get(@PathParam("id") UUID id) {
        return JobView.of(find(id));
    }

    @POST
    @Path("{id}/status")
    @Transactional
    public JobView changeStatus(@PathParam("id") UUID id, @Valid @NotNull Requests.ChangeStatus body) {
        Job job = find(id);
        job.status = StatusChange.apply("job", id, job.status, body.status());
        job.updatedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        outbox.registerEvent(new JobEvent("project:job:" + job.status.wireName(), job));
        return JobView.of(job);
    }

    /** The body is optional: {@code {"stepsCount": 3}}. */
    @POST
    @Path("{id}/runs")
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.WILDCARD })
    @Transactional
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = RunView.class)))
    public Response createRun(@PathParam("id") UUID id, @Valid Requests.CreateRun body) {
        int steps = body == null || body.stepsCount() == null ? 0 : body.stepsCount();
        PipelineRun run = PipelineRun.create(find(id), steps, clock.instant().truncatedTo(ChronoUnit.MICROS));
        run.persist();
        outbox.registerEvent(new PipelineRunEvent("project:job:pipeline_run:created", run));
        return Response.created(URI.create("/api/runs/" + run.id)).entity(RunView.of(run)).build();
    }

    private Job find(UUID id) {
        Job job = Job.findById(id);
        if (job == null || !job.project.visibleTo(caller.tenantOrNull())) {
            throw ApiException.notFound("job", id);
        }
        return job;
    }
}
