package io.tidings.it.outbox;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.PrePersist;

import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;

/** A test event class with a persist callback, which a direct insert would skip. */
@Entity
@DiscriminatorValue("test_audited")
public class AuditedProjectEvent extends ProjectEvent {

    static final AtomicInteger PRE_PERSIST_CALLS = new AtomicInteger();

    protected AuditedProjectEvent() {
    }

    AuditedProjectEvent(String type, Project project) {
        super(type, project);
    }

    @PrePersist
    void audit() {
        PRE_PERSIST_CALLS.incrementAndGet();
    }
}
