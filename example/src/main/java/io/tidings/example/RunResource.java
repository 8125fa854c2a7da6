package io.tidings.example;

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

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.tidings.api.ApiError;
import io.tidings.api.ApiException;
import io.tidings.api.Caller;
import io.tidings.api.PublicEndpoint;
import io.tidings.api.TidingsEndpoint;
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
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RunResource {

    @Inject
    Outbox outbox;
    @Inject
    Clock clock;
    @Inject
    Caller caller;

    @GET
    @Path("{id}")
    public RunView get(@PathParam("id") UUID id) {
        return RunView.of(find(id));
    }

    @POST
    @Path("{id}/status")
    @Transactional
    public RunView changeStatus(@PathParam("id") UUID id, @Valid @NotNull Requests.ChangeStatus body) {
        PipelineRun run = find(id);
        run.status = StatusChange.apply("pipeline run", id, run.status, body.status());
        run.updatedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        outbox.registerEvent(new PipelineRunEvent("project:job:pipeline_run:" + run.status.wireName(), run));
        return RunView.of(run);
    }

    private PipelineRun find(UUID id) {
        PipelineRun run = PipelineRun.findById(id);
        if (run == null || !run.job.project.visibleTo(caller.tenantOrNull())) {
            throw ApiException.notFound("pipeline run", id);
        }
        return run;
    }
}
