package io.tidings.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server {@code -Dtidings.it.pg-url} names (CI sets it to the machine's packaged
 * server, JIT on), for tests that check plans on more than the embedded one.
 */
public final class MachinePostgres {

    private MachinePostgres() {
    }

    /**
     * A new, empty database of that name on the server, dropped first if it exists; skips the
     * calling test when no server is named. @return its JDBC URL
     */
    public static String freshDatabase(String name) throws SQLException {
        String url = System.getProperty("tidings.it.pg-url");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "skipped: set -Dtidings.it.pg-url=jdbc:postgresql://host:port/postgres?user=... to check a server of yours");
        try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
        return url.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }
}
