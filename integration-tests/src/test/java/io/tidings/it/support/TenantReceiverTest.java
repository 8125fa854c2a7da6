package io.tidings.it.support;

import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.it.support.Tenants.Tenant;
import io.tidings.outbox.Outbox;

/** A delivery test of one tenant's webhooks: {@link ReceiverTest}, a tenant Acme, and events recorded for it. */
public abstract class TenantReceiverTest extends ReceiverTest {

    @Inject
    protected Outbox outbox;

    protected Tenant acme;

    @BeforeEach
    void tenant() {
        acme = Tenants.create("Acme");
    }

    /** Records a {@code project:created} of Acme's, each in a transaction of its own. */
    protected void recordProjectCreated(int events) {
        for (int i = 0; i < events; i++) {
            QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                    new ProjectEvent("project:created", Project.create(acme.id(), "Apollo", null, Instant.now()))));
        }
    }
}
