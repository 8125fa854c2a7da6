package io.tidings.example;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the example API returns. */
final class Views {

    private Views() {
    }

    record ProjectView(UUID id, String name, @Schema(nullable = true) String description, Instant createdAt, Instant updatedAt) {
        static ProjectView of(Project p) {
            return new ProjectView(p.id, p.name, p.description, p.createdAt, p.updatedAt);
        }
    }

    record JobView(UUID id, UUID projectId, String name, String status, Instant createdAt, Instant updatedAt) {
        static JobView of(Job j) {
            return new JobView(j.id, j.project.id, j.name, j.status.wireName(), j.createdAt, j.updatedAt);
        }
    }

    record RunView(UUID id, UUID jobId, int number, String status, int stepsCount, Instant createdAt, Instant updatedAt) {
        static RunView of(PipelineRun r) {
            return new RunView(r.id, r.job.id, r.number, r.status.wireName(), r.stepsCount, r.createdAt, r.updatedAt);
        }
    }
}
