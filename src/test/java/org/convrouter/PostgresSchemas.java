package org.convrouter;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/** Fresh, disposable schemas on the PostgreSQL server named by ROUTER_TEST_PG_URL. */
public final class PostgresSchemas {

    private PostgresSchemas() {}

    public static String url() {
        return System.getenv("ROUTER_TEST_PG_URL");
    }

    /** Creates a new schema and returns a JDBC URL that uses it. */
    public static String newSchemaUrl() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(url())) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void drop(String schemaUrl) {
        String schema = schemaUrl.substring(schemaUrl.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(url())) {
            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
