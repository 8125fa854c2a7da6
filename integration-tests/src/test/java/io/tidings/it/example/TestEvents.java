package io.tidings.it.example;

import java.time.Instant;
import java.util.UUID;

import io.tidings.example.Job;
import io.tidings.example.JobEvent;
import io.tidings.example.PipelineRun;
import io.tidings.example.PipelineRunEvent;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.example.RunStatus;
import io.tidings.outbox.Event;

/** An event of the right layer for any example type, about a project that need not be stored. */
public final class TestEvents {

    private TestEvents() {
    }

    /** A job event recorded under a project type: its payload has a field the type's schema does not allow. */
    public static Event mismatched() {
        Project project = Project.create("Apollo", null, Instant.now());
        return new JobEvent("project:created", Job.create(project, "build", Instant.now()));
    }

    /** A started pipeline run with the given number, in a new job of a new project of the tenant. */
    public static PipelineRun run(UUID tenant, int number) {
        Instant now = Instant.now();
        Job job = Job.create(Project.create(tenant, "Apollo", "to the moon", now), "build", now);
        PipelineRun run = PipelineRun.create(job, number, 5, now);
        run.status = RunStatus.fromWire("started");
        return run;
    }

    public static Event of(String type, String projectName) {
        return of(type, null, projectName);
    }

    public static Event of(String type, UUID tenant, String projectName) {
        Instant now = Instant.now();
        Project project = Project.create(tenant, projectName, "to the moon", now);
        if (!type.startsWith("project:job:")) {
            return new ProjectEvent(type, project);
        }
        Job job = Job.create(project, "build", now);
        job.status = RunStatus.fromWire(type.substring(type.lastIndexOf(':') + 1));
        if (!type.startsWith("project:job:pipeline_run:")) {
            return new JobEvent(type, job);
        }
        PipelineRun run = PipelineRun.create(job, 1, 3, now);
        run.status = job.status;
        return new PipelineRunEvent(type, run);
    }
}
