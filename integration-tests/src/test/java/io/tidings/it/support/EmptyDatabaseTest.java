package io.tidings.it.support;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import io.tidings.it.TestDatabase;

/**
 * A test that starts from an empty outbox: no events, deliveries, webhooks or tenants (see
 * {@link TestDatabase#reset()}). A subclass' {@code @BeforeEach} runs after this one.
 */
public abstract class EmptyDatabaseTest {

    @Inject
    protected TestDatabase db;

    @BeforeEach
    void startFromEmptyDatabase() {
        db.reset();
    }
}
