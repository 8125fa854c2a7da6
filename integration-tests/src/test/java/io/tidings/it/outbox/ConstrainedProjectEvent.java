package io.tidings.it.outbox;

import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.validation.constraints.AssertTrue;

import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;

/** A test event class with a bean-validation constraint, which Hibernate checks on persist and a direct insert would not. */
@Entity
@DiscriminatorValue("test_constrained")
public class ConstrainedProjectEvent extends ProjectEvent {

    private transient boolean valid;

    protected ConstrainedProjectEvent() {
    }

    ConstrainedProjectEvent(String type, Project project, boolean valid) {
        super(type, project);
        this.valid = valid;
    }

    @AssertTrue
    boolean isValid() {
        return valid;
    }
}
