package com.example.shop;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.tidings.PublicApi;

/** The shop, like any host application, reaches into Tidings only through what is marked {@link PublicApi}. */
class PublicApiTest {

    @Test
    void the_shop_uses_only_the_public_api() {
        classes().should().onlyDependOnClassesThat(resideOutsideOfPackage("io.tidings..").or(annotatedWith(PublicApi.class)))
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("com.example"));
    }
}
