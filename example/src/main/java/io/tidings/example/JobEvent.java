package io.tidings.example;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.outbox.Emits;

/** Something that happened to a job: {@code project:job:created|started|succeeded|failed|cancelled}. */
@Emits(value = "project:job:created", description = "A job was added to a project.", telemetry = true)
@Emits(value = "project:job:started", description = "A job started.", telemetry = true)
@Emits(value = "project:job:succeeded", description = "A job finished successfully.", telemetry = true)
@Emits(value = "project:job:failed", description = "A job failed.", telemetry = true)
@Emits(value = "project:job:cancelled", description = "A job was cancelled.", telemetry = true)
@Entity
@DiscriminatorValue("job")
public class JobEvent extends ProjectEvent {

    @Column(name = "job_id", updatable = false)
    private UUID jobId;
    @Column(name = "job_name", updatable = false)
    private String jobName;
    @Column(name = "job_status", updatable = false)
    private String jobStatus;

    protected JobEvent() {
    }

    public JobEvent(String type, Job job) {
        super(type, job.project);
        jobId = job.id;
        jobName = job.name;
        jobStatus = job.status.wireName();
    }

    @Override
    public ObjectNode toNotificationPayload() {
        ObjectNode payload = super.toNotificationPayload();
        objectAt(payload, "project", "job")
                .put("id", jobId.toString())
                .put("name", jobName)
                .put("status", jobStatus);
        return payload;
    }

    @Override
    public ObjectNode toTelemetryPayload() {
        ObjectNode payload = super.toTelemetryPayload();
        objectAt(payload, "project", "job")
                .put("id", jobId.toString())
                .put("status", jobStatus);
        return payload;
    }
}
