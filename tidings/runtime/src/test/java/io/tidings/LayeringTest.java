package io.tidings;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The library's layering: the core (outbox, then delivery, with secrets beside them) imports no
 * subscriber kind and no management API; no two packages import each other, however indirectly;
 * nothing imports the console; outside the {@code internal} packages, the library's public types
 * are those marked {@link PublicApi}.
 */
class LayeringTest {

    private static final JavaClasses TIDINGS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tidings");

    @Test
    void no_package_cycles() {
        slices().matching("io.tidings.(*)..").should().beFreeOfCycles().check(TIDINGS);
    }

    @Test
    void the_outbox_stands_on_nothing_of_tidings() {
        noClasses().that().resideInAPackage("io.tidings.outbox..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tidings.delivery..", "io.tidings.webhook..",
                        "io.tidings.analytics..", "io.tidings.api..", "io.tidings.ops..", "io.tidings.secrets..", "io.tidings.example..")
                .check(TIDINGS);
    }

    @Test
    void delivery_knows_no_kind_no_http_and_no_management_api() {
        noClasses().that().resideInAPackage("io.tidings.delivery..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tidings.webhook..", "io.tidings.analytics..",
                        "io.tidings.http..", "io.tidings.api..", "io.tidings.ops..", "io.tidings.stream..", "io.tidings.example..")
                .check(TIDINGS);
    }

    @Test
    void outside_internal_packages_the_library_shows_only_its_public_api() {
        classes().that().resideInAPackage("io.tidings..")
                .and().resideOutsideOfPackages("..internal..")
                .and().arePublic().and().areTopLevelClasses()
                .should().beAnnotatedWith(PublicApi.class)
                .check(TIDINGS);
    }

    @Test
    void the_console_is_the_top_nothing_imports_it() {
        noClasses().that().resideOutsideOfPackage("io.tidings.console..")
                .should().dependOnClassesThat().resideInAPackage("io.tidings.console..")
                .check(TIDINGS);
    }
}
