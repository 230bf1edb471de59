package io.drplane.backupscheduler.validate;

import io.drplane.backupscheduler.engine.DatabaseEndpoint;
import io.drplane.backupscheduler.run.RestoreValidator;
import io.drplane.plan.RestoreValidation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiFunction;

/**
 * A restore test's SQL check: connects to the restored database (PostgreSQL, or MySQL and MariaDB, Aurora included)
 * with the test's credentials, read-only, runs its query, and holds the first value of the first row to the test's
 * minimum. A test without a {@code validation} is satisfied by an available resource.
 *
 * <p>{@code endpointOverride} ({@code host:port}) replaces the address the engine reports, for an emulator whose
 * restored instances have no database behind them; in production it is empty.
 */
public final class SqlValidator implements RestoreValidator {

    private final BiFunction<String, String, String> secrets;
    private final Optional<String> endpointOverride;
    private final Duration timeout;

    /** {@code secrets}: a secret reference and the region it lives in, to its value. */
    public SqlValidator(
            BiFunction<String, String, String> secrets, Optional<String> endpointOverride, Duration timeout) {
        this.secrets = secrets;
        this.endpointOverride = endpointOverride;
        this.timeout = timeout;
    }

    @Override
    public Optional<String> problem(Restored restored) {
        RestoreValidation validation = restored.test().validation();
        if (validation == null) {
            return Optional.empty();
        }
        if (restored.endpoint().isEmpty()) {
            return Optional.of("the validation needs a database, and " + restored.name() + " ("
                    + restored.point().kind().name().toLowerCase(Locale.ROOT) + ") has no SQL endpoint");
        }
        DatabaseEndpoint endpoint = restored.endpoint().get();
        String address = endpointOverride.orElse(endpoint.host() + ":" + endpoint.port());
        Optional<String> url = url(endpoint.engine(), address, validation.database());
        if (url.isEmpty()) {
            return Optional.of("no SQL validation for the engine " + endpoint.engine() + " of " + restored.name());
        }
        Properties login = new Properties();
        String region = restored.test().region();
        try {
            login.setProperty("user", secrets.apply(validation.username(), region));
            login.setProperty("password", secrets.apply(validation.password(), region));
        } catch (RuntimeException e) {
            return Optional.of("could not read the validation's credentials: " + e.getMessage());
        }
        DriverManager.setLoginTimeout((int) Math.max(1, timeout.toSeconds()));
        try (Connection connection = DriverManager.getConnection(url.get(), login)) {
            // in a read-only transaction that is rolled back: a check must not change what it checks
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                try (ResultSet rows = statement.executeQuery(validation.sql())) {
                    if (!rows.next()) {
                        return Optional.of(validation.sql() + " returned no row in " + validation.database());
                    }
                    long value = rows.getLong(1);
                    boolean none = rows.wasNull();
                    connection.rollback();
                    if (none || value < validation.minimum()) {
                        return Optional.of(validation.sql() + " returned " + (none ? "null" : value) + " in "
                                + validation.database() + ", under the minimum of " + validation.minimum());
                    }
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            return Optional.of("the validation query on " + address + "/" + validation.database() + " failed: "
                    + e.getSQLState() + " " + firstLine(e.getMessage()));
        }
    }

    /** The JDBC URL for the engine RDS reports: PostgreSQL, or MySQL and MariaDB through the MariaDB driver. */
    static Optional<String> url(String engine, String address, String database) {
        String kind = engine == null ? "" : engine.toLowerCase(Locale.ROOT);
        if (kind.contains("postgres")) {
            return Optional.of("jdbc:postgresql://" + address + "/" + database + "?readOnly=true&readOnlyMode=always");
        }
        if (kind.contains("mysql") || kind.contains("mariadb")) {
            return Optional.of("jdbc:mariadb://" + address + "/" + database + "?assureReadOnly=true");
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
