package io.drplane.replicationtracker.measure;

import io.drplane.plan.DatabaseEndpoint;
import io.drplane.runtime.secrets.SecretResolver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * One JDBC connection to one database, opened on demand, with connect and socket timeouts so a database that does
 * not answer costs a bounded wait, and dropped after any error so the next measurement reconnects.
 */
final class Jdbc implements AutoCloseable {

    private final DatabaseEndpoint endpoint;
    private final SecretResolver secrets;
    private final String region;
    private final Duration timeout;
    private Connection connection;

    Jdbc(DatabaseEndpoint endpoint, SecretResolver secrets, String region, Duration timeout) {
        this.endpoint = endpoint;
        this.secrets = secrets;
        this.region = region;
        this.timeout = timeout;
    }

    boolean postgres() {
        return endpoint.jdbcUrl().startsWith("jdbc:postgresql:");
    }

    String url() {
        return endpoint.jdbcUrl();
    }

    synchronized Connection connection() throws SQLException {
        if (connection != null && !connection.isClosed()) {
            return connection;
        }
        Properties props = new Properties();
        if (endpoint.username() != null) {
            props.setProperty("user", endpoint.username());
        }
        if (endpoint.password() != null) {
            props.setProperty("password", secrets.password(endpoint.password(), region));
        }
        long seconds = Math.max(1, timeout.toSeconds());
        if (postgres()) {
            props.setProperty("connectTimeout", Long.toString(seconds));
            props.setProperty("socketTimeout", Long.toString(seconds));
            props.setProperty("loginTimeout", Long.toString(seconds));
            props.setProperty("ApplicationName", "drplane-replication-tracker");
        } else {
            props.setProperty("connectTimeout", Long.toString(timeout.toMillis()));
            props.setProperty("socketTimeout", Long.toString(timeout.toMillis()));
        }
        connection = DriverManager.getConnection(endpoint.jdbcUrl(), props);
        connection.setAutoCommit(true);
        return connection;
    }

    /** Forgets a connection that failed, so the next call reconnects. */
    synchronized void reset() {
        close();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection: nothing more to do with it
            }
            connection = null;
        }
    }

    /** A short description of a failure that never includes credentials. */
    static String describe(Exception e) {
        String message = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getMessage().replace('\n', ' ');
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
