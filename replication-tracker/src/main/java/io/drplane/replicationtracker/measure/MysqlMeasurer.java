package io.drplane.replicationtracker.measure;

import io.drplane.plan.ReplicationLink;
import io.drplane.runtime.secrets.SecretResolver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * MySQL and MariaDB replica status: {@code Seconds_Behind_Source} ({@code SHOW REPLICA STATUS}), or
 * {@code Seconds_Behind_Master} on servers that only know {@code SHOW SLAVE STATUS}. NULL means the replication
 * threads are not running: UNKNOWN, with the reason the server gives.
 */
public final class MysqlMeasurer implements LagMeasurer {

    private final Jdbc replica;

    public MysqlMeasurer(ReplicationLink link, SecretResolver secrets, Duration timeout) {
        this.replica = new Jdbc(link.target(), secrets, link.to(), timeout);
    }

    @Override
    public LagReading measure() {
        try {
            try (Statement s = replica.connection().createStatement();
                    ResultSet rs = status(s)) {
                if (!rs.next()) {
                    return LagReading.unknown("replica " + replica.url() + " is not configured as a replica");
                }
                long seconds = rs.getLong(column(rs, "Seconds_Behind_Source", "Seconds_Behind_Master"));
                if (rs.wasNull()) {
                    String io = rs.getString(column(rs, "Replica_IO_Running", "Slave_IO_Running"));
                    String sql = rs.getString(column(rs, "Replica_SQL_Running", "Slave_SQL_Running"));
                    String error = rs.getString("Last_Error");
                    return LagReading.unknown("replication is not running (IO " + io + ", SQL " + sql + ")"
                            + (error == null || error.isBlank() ? "" : ": " + error));
                }
                return LagReading.measured(seconds * 1000, null, "whole seconds, as the server reports them");
            }
        } catch (SQLException e) {
            replica.reset();
            return LagReading.unknown("replica " + replica.url() + ": " + Jdbc.describe(e));
        }
    }

    private static ResultSet status(Statement s) throws SQLException {
        try {
            return s.executeQuery("SHOW REPLICA STATUS");
        } catch (SQLException e) {
            return s.executeQuery("SHOW SLAVE STATUS"); // MySQL before 8.0.22, MariaDB before 10.5.1
        }
    }

    private static String column(ResultSet rs, String current, String old) throws SQLException {
        try {
            rs.findColumn(current);
            return current;
        } catch (SQLException e) {
            return old;
        }
    }

    @Override
    public void close() {
        replica.close();
    }
}
