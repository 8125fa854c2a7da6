package io.tidings.it;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.tidings.PublicApi;

/**
 * What a host application and a plug-in kind may use of the library: the example application and
 * the kafka kind use only the types marked {@link PublicApi}, as any would, and nothing of the
 * framework imports the example domain. (The library's own layering is tested in its module.)
 */
class PublicApiUseTest {

    private static final JavaClasses TIDINGS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tidings");

    @Test
    void the_example_uses_only_the_public_api() {
        classes().that().resideInAPackage("io.tidings.example..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.tidings..")
                        .or(resideInAPackage("io.tidings.example..")).or(annotatedWith(PublicApi.class)))
                .check(TIDINGS);
    }

    @Test
    void the_kafka_kind_uses_only_the_public_api() {
        classes().that().resideInAPackage("io.tidings.sink.kafka..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.tidings..")
                        .or(resideInAPackage("io.tidings.sink.kafka..")).or(annotatedWith(PublicApi.class)))
                .check(TIDINGS);
    }

    @Test
    void the_framework_never_imports_the_example() {
        noClasses().that().resideOutsideOfPackage("io.tidings.example..")
                .should().dependOnClassesThat().resideInAPackage("io.tidings.example..")
                .check(TIDINGS);
    }
}
