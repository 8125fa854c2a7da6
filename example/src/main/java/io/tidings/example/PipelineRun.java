package io.tidings.example;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "pipeline_runs")
public class PipelineRun extends PanacheEntityBase {

    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "job_id")
    public Job job;
    public int number;
    @Enumerated(EnumType.STRING)
    public RunStatus status;
    @Column(name = "steps_count")
    public int stepsCount;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static PipelineRun create(Job job, int stepsCount, Instant now) {
        return create(job, nextNumber(job), stepsCount, now);
    }

    public static PipelineRun create(Job job, int number, int stepsCount, Instant now) {
        PipelineRun run = new PipelineRun();
        run.id = UUID.randomUUID();
        run.job = job;
        run.number = number;
        run.status = RunStatus.CREATED;
        run.stepsCount = stepsCount;
        run.createdAt = now;
        run.updatedAt = now;
        return run;
    }

    private static int nextNumber(Job job) {
        Integer last = getEntityManager()
                .createQuery("SELECT max(r.number) FROM PipelineRun r WHERE r.job = :job", Integer.class)
                .setParameter("job", job).getSingleResult();
        return last == null ? 1 : last + 1;
    }
}
