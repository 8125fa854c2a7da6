package io.tidings.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.HotDeploymentWatchedFileBuildItem;
import io.quarkus.smallrye.openapi.deployment.spi.AddToOpenAPIDefinitionBuildItem;
import io.quarkus.vertx.http.deployment.spi.GeneratedStaticResourceBuildItem;
import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;
import io.tidings.outbox.internal.DeclaredEventTypes;
import io.tidings.outbox.internal.DeclaredEventTypes.Declaration;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeDeclarations;
import io.tidings.outbox.internal.EventTypesRecorder;
import io.tidings.analytics.internal.AnalyticsBuildConfig;
import io.tidings.analytics.internal.SchemaRules;

/**
 * Tidings' build steps: the event types the application's classes declare are read from the index,
 * and they and their schemas are checked, once, while the application is built. A malformed or
 * twice-declared type, a telemetry type whose class renders no telemetry, or a schema missing or
 * breaking the rules, fails the build with the class or the file to change; the running
 * application receives the checked types and scans nothing.
 */
class TidingsProcessor {

    static final String FEATURE = "tidings";
    private static final String RELAY_SCRIPT = "io/tidings/analytics/tidings.js";
    private static final DotName EMITS = DotName.createSimple(Emits.class);
    private static final DotName EMITS_LIST = DotName.createSimple(Emits.List.class);
    private static final DotName EVENT = DotName.createSimple(Event.class);

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    DeclaredEventTypesBuildItem declaredEventTypes(CombinedIndexBuildItem combined) {
        IndexView index = combined.getIndex();
        List<Declaration> declarations = declarations(index);
        List<EventType> types = DeclaredEventTypes.declared(declarations);
        List<String> silent = declarations.stream().filter(declaration -> declaration.type().telemetryAllowed())
                .filter(declaration -> !rendersTelemetry(index.getClassByName(declaration.declaredBy()), index))
                .map(declaration -> declaration.declaredBy() + " declares " + declaration.type().name()
                        + " with telemetry = true but renders no telemetry: override toTelemetryPayload()")
                .toList();
        if (!silent.isEmpty()) {
            throw new IllegalStateException(String.join("\n", silent));
        }
        return new DeclaredEventTypesBuildItem(types, breaking(index));
    }

    @BuildStep
    void checkSchemas(DeclaredEventTypesBuildItem declared, BuildProducer<HotDeploymentWatchedFileBuildItem> watched) {
        SchemaRules.paths(declared.types()).forEach(path -> watched.produce(new HotDeploymentWatchedFileBuildItem(path)));
        List<String> problems = SchemaRules.problems(declared.types(), declared.breaking());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The event schemas need changes before the application can be built:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    // Served from the class path rather than META-INF/resources, so that an application without the relay has no /tidings.js.
    @BuildStep
    void relayScript(AnalyticsBuildConfig analytics, BuildProducer<GeneratedStaticResourceBuildItem> resources) throws IOException {
        if (!analytics.relayEnabled()) {
            return;
        }
        try (InputStream script = AnalyticsBuildConfig.class.getResourceAsStream("/" + RELAY_SCRIPT)) {
            resources.produce(new GeneratedStaticResourceBuildItem("/tidings.js", script.readAllBytes()));
        }
    }

    // Only an application with quarkus-opentelemetry has the API this bean is written against.
    @BuildStep
    void tracing(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (capabilities.isPresent(Capability.OPENTELEMETRY_TRACER)) {
            // by name: the class is written against OpenTelemetry's API, which other applications lack
            beans.produce(AdditionalBeanBuildItem.builder().addBeanClasses("io.tidings.tracing.internal.OpenTelemetryTracing")
                    .setDefaultScope(DotName.createSimple(Singleton.class)).setUnremovable().build());
        }
    }

    @BuildStep
    AddToOpenAPIDefinitionBuildItem apiDocument() {
        return new AddToOpenAPIDefinitionBuildItem(new ApiDocumentFilter());
    }

    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem eventTypeDeclarations(DeclaredEventTypesBuildItem declared, EventTypesRecorder recorder) {
        return SyntheticBeanBuildItem.configure(EventTypeDeclarations.class).scope(Singleton.class).unremovable()
                .supplier(recorder.declarations(declared.types())).done();
    }

    private static Set<String> breaking(IndexView index) {
        Set<String> breaking = new HashSet<>();
        List<AnnotationInstance> all = new ArrayList<>(index.getAnnotations(EMITS));
        index.getAnnotations(EMITS_LIST).forEach(list -> all.addAll(List.of(list.value().asNestedArray())));
        all.stream().filter(emits -> emits.valueWithDefault(index, "breaking").asBoolean())
                .forEach(emits -> breaking.add(emits.value().asString()));
        return breaking;
    }

    private static List<Declaration> declarations(IndexView index) {
        List<Declaration> declarations = new ArrayList<>();
        for (AnnotationInstance emits : index.getAnnotations(EMITS)) {
            declarations.add(declaration(emits.target().asClass().name(), emits, index));
        }
        for (AnnotationInstance list : index.getAnnotations(EMITS_LIST)) {
            for (AnnotationInstance emits : list.value().asNestedArray()) { // nested ones have no target of their own
                declarations.add(declaration(list.target().asClass().name(), emits, index));
            }
        }
        return declarations;
    }

    // Event's own toTelemetryPayload answers null: some class between it and the declaring one must
    // override it. A layer outside the index cannot be read, and is given the benefit of the doubt.
    private static boolean rendersTelemetry(ClassInfo type, IndexView index) {
        for (ClassInfo layer = type; !layer.name().equals(EVENT); layer = index.getClassByName(layer.superName())) {
            if (layer.method("toTelemetryPayload") != null || index.getClassByName(layer.superName()) == null) {
                return true;
            }
        }
        return false;
    }

    private static Declaration declaration(DotName declaredBy, AnnotationInstance emits, IndexView index) {
        int schemaVersion = emits.valueWithDefault(index, "schemaVersion").asInt();
        return new Declaration(declaredBy.toString(), new EventType(emits.value().asString(),
                emits.value("description").asString(), schemaVersion,
                emits.valueWithDefault(index, "telemetry").asBoolean(), emits.valueWithDefault(index, "fromClients").asBoolean(),
                DeclaredEventTypes.olderThan(schemaVersion, emits.valueWithDefault(index, "versions").asIntArray()),
                DeclaredEventTypes.sorted(emits.valueWithDefault(index, "deprecated").asIntArray())));
    }
}
