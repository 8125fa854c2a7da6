package io.tidings.example;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.outbox.Emits;

/** Something that happened to a pipeline run: {@code project:job:pipeline_run:created|started|...}. */
@Emits(value = "project:job:pipeline_run:created", description = "A pipeline run of a job was created.", telemetry = true)
@Emits(value = "project:job:pipeline_run:started", description = "A pipeline run started.", telemetry = true)
@Emits(value = "project:job:pipeline_run:succeeded", description = "A pipeline run finished successfully.", telemetry = true)
@Emits(value = "project:job:pipeline_run:failed", description = "A pipeline run failed.", telemetry = true)
@Emits(value = "project:job:pipeline_run:cancelled", description = "A pipeline run was cancelled.", telemetry = true)
@Entity
@DiscriminatorValue("pipeline_run")
public class PipelineRunEvent extends JobEvent {

    @Column(name = "run_id", updatable = false)
    private UUID runId;
    @Column(name = "run_number", updatable = false)
    private Integer runNumber;
    @Column(name = "run_status", updatable = false)
    private String runStatus;
    @Column(name = "run_steps_count", updatable = false)
    private Integer runStepsCount;

    protected PipelineRunEvent() {
    }

    public PipelineRunEvent(String type, PipelineRun run) {
        super(type, run.job);
        runId = run.id;
        runNumber = run.number;
        runStatus = run.status.wireName();
        runStepsCount = run.stepsCount;
    }

    @Override
    public ObjectNode toNotificationPayload() {
        ObjectNode payload = super.toNotificationPayload();
        addRun(objectAt(payload, "project", "job", "pipeline_run"));
        return payload;
    }

    // A run has no names or free text of its own: both payloads carry the same fields.
    @Override
    public ObjectNode toTelemetryPayload() {
        ObjectNode payload = super.toTelemetryPayload();
        addRun(objectAt(payload, "project", "job", "pipeline_run"));
        return payload;
    }

    private void addRun(ObjectNode run) {
        run.put("id", runId.toString())
                .put("number", runNumber)
                .put("status", runStatus)
                .put("steps_count", runStepsCount);
    }
}
