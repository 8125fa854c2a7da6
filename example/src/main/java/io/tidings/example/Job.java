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
@Table(name = "jobs")
public class Job extends PanacheEntityBase {

    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "project_id")
    public Project project;
    public String name;
    @Enumerated(EnumType.STRING)
    public RunStatus status;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Job create(Project project, String name, Instant now) {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.project = project;
        job.name = name;
        job.status = RunStatus.CREATED;
        job.createdAt = now;
        job.updatedAt = now;
        return job;
    }
}
