package io.tidings.outbox.internal;

import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tidings.outbox.Emits;

/**
 * Says at start which versions the event classes deprecate ({@link Emits#deprecated()}) and how many
 * subscriptions still pin each: the operator's notice that those webhooks' owners must move on
 * before the class stops rendering the version (they then receive the current one).
 */
@Singleton
class DeprecatedVersions {

    private static final Logger LOG = Logger.getLogger(DeprecatedVersions.class);

    @Inject
    DeclaredEventTypes declared;
    @Inject
    Subscribers subscribers;

    void report(@Observes @Priority(DeclaredEventTypes.PRIORITY + 1) StartupEvent event) {
        if (declared.types().stream().allMatch(type -> type.deprecated().isEmpty())) {
            return;
        }
        Map<String, Long> pins = QuarkusTransaction.requiringNew().call(subscribers::pinCounts);
        for (EventType type : declared.types()) {
            for (int version : type.deprecated()) {
                String pin = type.name() + "@" + version;
                LOG.warnf("%s v%d is deprecated: %d subscriptions pin it (%s), and receive v%d once its class stops rendering v%d",
                        type.name(), version, pins.getOrDefault(pin, 0L), pin, type.schemaVersion(), version);
            }
        }
    }
}
