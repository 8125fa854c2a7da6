package io.tidings.example;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "projects")
public class Project extends PanacheEntityBase {

    @Id
    public UUID id;
    /** The tenant of the API key that created it; null when created without one. */
    @Column(name = "tenant_id", updatable = false)
    public UUID tenantId;
    public String name;
    public String description;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Project create(String name, String description, Instant now) {
        return create(null, name, description, now);
    }

    public static Project create(UUID tenantId, String name, String description, Instant now) {
        Project project = new Project();
        project.id = UUID.randomUUID();
        project.tenantId = tenantId;
        project.name = name;
        project.description = description;
        project.createdAt = now;
        project.updatedAt = now;
        return project;
    }

    /** Whether a caller of this tenant (null: without a key) may see the project. */
    boolean visibleTo(UUID callerTenant) {
        return java.util.Objects.equals(tenantId, callerTenant);
    }
}
