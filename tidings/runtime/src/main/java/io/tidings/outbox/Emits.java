package io.tidings.outbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tidings.PublicApi;

/**
 * An event type that instances of the annotated {@link Event} class are recorded as: the one place
 * a type is declared. At start Tidings writes every declared type into {@code event_types} (its
 * description, schema version and what may send or export it) and checks that its JSON Schemas
 * exist, so the class, the registry and the schemas cannot drift apart.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Emits.List.class)
@PublicApi
public @interface Emits {

    /** The type, such as {@code project:job:failed}. */
    String value();

    /** What it means, for people choosing what to subscribe to. */
    String description();

    /** The version of its payload schemas: {@code schemas/<type>/v<n>.*.json}. */
    int schemaVersion() default 1;

    /**
     * Whether this version's schemas break what readers of the previous version expect (a field
     * removed or retyped, a required field added, an enum narrowed, an object closed). The build
     * compares each version with the one before it and fails on such a change unless it is
     * declared here.
     */
    boolean breaking() default false;

    /**
     * Every version of its notification payload the class renders; {@link #schemaVersion()} is
     * rendered whether it is listed or not, so empty means that one alone. Each event is rendered at each of them as it is recorded
     * ({@link Event#toNotificationPayload(int)}), so that a webhook pinned to an older version
     * ({@code project:job:failed@1}) keeps receiving it. The schema files of every one stay.
     */
    int[] versions() default {};

    /**
     * Those of {@link #versions()} that are going away: the start logs each with the webhooks that
     * still pin it, and the API and the console show their owners which.
     */
    int[] deprecated() default {};

    /** Whether its telemetry payload may be exported to the analytics backend (it needs a telemetry schema then). */
    boolean telemetry() default false;

    /** Whether browser code may send it through the analytics relay. */
    boolean fromClients() default false;

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @PublicApi
    @interface List {
        Emits[] value();
    }
}
