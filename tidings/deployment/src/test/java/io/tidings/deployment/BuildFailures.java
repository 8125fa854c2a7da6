package io.tidings.deployment;

import io.quarkus.test.QuarkusUnitTest;

/** An application build that is expected to fail in Tidings' build steps, before anything starts. */
final class BuildFailures {

    private BuildFailures() {
    }

    /** A build of an application with a PostgreSQL data source, as every Tidings application has. */
    static QuarkusUnitTest application() {
        return new QuarkusUnitTest()
                .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
                .overrideConfigKey("quarkus.devservices.enabled", "false");
    }
}
