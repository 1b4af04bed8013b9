package org.convrouter;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fresh, disposable databases on the PostgreSQL server named by ROUTER_TEST_PG_URL, for whole
 * services under test: they run their own migrations, so they get a database of their own rather
 * than a schema of the test database.
 */
public final class PostgresDatabases {

    /** A PostgreSQL JDBC URL: the server part, the database, then any parameters. */
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?$");

    private PostgresDatabases() {}

    /** Creates database {@code router_it_<random>} and returns the server's URL naming it instead. */
    public static String create() {
        String name = "router_it_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE DATABASE " + name);
        Matcher url = parse(PostgresSchemas.url());
        return url.group(1) + name + (url.group(3) == null ? "" : url.group(3));
    }

    /** Drops the database, ending whatever sessions are still in it (an instance killed mid-transaction leaves one). */
    public static void drop(String databaseUrl) {
        execute("DROP DATABASE IF EXISTS " + parse(databaseUrl).group(2) + " WITH (FORCE)");
    }

    private static Matcher parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL with a database: " + url);
        }
        return m;
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(PostgresSchemas.url())) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
