package io.drplane.replicationtracker.measure;

import io.drplane.plan.ReplicationLink;
import io.drplane.runtime.secrets.SecretResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

/**
 * The heartbeat method, for any SQL database: {@link #beat()} writes the tracker's clock and a sequence number into
 * {@code <schema>.heartbeat} on the primary four times per interval; {@link #measure()} reads, once per interval,
 * the beat the replica has replayed. The lag is bounded from above to within one beat (a quarter interval), see
 * {@link HeartbeatHistory}.
 * The table is created if absent. A silent primary makes the heartbeat stale: the lag is then "at least" the age of
 * the last replayed beat; a silent replica makes it UNKNOWN.
 */
public final class HeartbeatMeasurer implements LagMeasurer {

    private final ReplicationLink link;
    private final Jdbc primary;
    private final Jdbc replica;
    private final Clock clock;
    private final HeartbeatHistory history = new HeartbeatHistory();
    private static final int BEATS_PER_INTERVAL = 4;

    private final String table;
    private boolean tableReady;
    private volatile String primaryProblem;

    public HeartbeatMeasurer(ReplicationLink link, SecretResolver secrets, Clock clock, Duration timeout) {
        this.link = link;
        this.primary = new Jdbc(link.source(), secrets, link.from(), timeout);
        this.replica = new Jdbc(link.target(), secrets, link.to(), timeout);
        this.clock = clock;
        this.table = link.heartbeatSchema() + ".heartbeat";
    }

    /** How often {@link #beat()} runs: four beats per measurement interval, at most one every 100 ms. */
    public Duration beatInterval() {
        return Duration.ofMillis(Math.max(100, link.interval().toMillis() / BEATS_PER_INTERVAL));
    }

    /** Writes one heartbeat on the primary; a failure is remembered until the next successful beat. */
    public void beat() {
        try {
            write(clock.millis());
            primaryProblem = null;
        } catch (SQLException e) {
            primary.reset();
            primaryProblem = "primary " + primary.url() + ": " + Jdbc.describe(e);
        }
    }

    @Override
    public LagReading measure() {
        Long replayedSeq = null;
        Long replayedMillis = null;
        try {
            Connection c = replica.connection();
            try (PreparedStatement read =
                    c.prepareStatement("SELECT seq, beat_millis FROM " + table + " WHERE link = ?")) {
                read.setString(1, link.name());
                try (ResultSet rs = read.executeQuery()) {
                    if (rs.next()) {
                        replayedSeq = rs.getLong(1);
                        replayedMillis = rs.getLong(2);
                    }
                }
            }
        } catch (SQLException e) {
            replica.reset();
            // A missing table only means no heartbeat has been replayed yet; anything else means no answer we can use.
            if (!isMissingTable(e)) {
                return LagReading.unknown("replica " + replica.url() + ": " + Jdbc.describe(e));
            }
        }
        long now = clock.millis();
        String primarySilent = primaryProblem;
        if (replayedSeq == null) {
            return LagReading.unknown(
                    primarySilent != null
                            ? primarySilent + "; the replica has no heartbeat yet"
                            : "the replica has not replayed a heartbeat yet");
        }
        if (primarySilent != null) {
            return LagReading.atLeast(
                    now - replayedMillis,
                    primarySilent + "; the replica's last heartbeat is " + (now - replayedMillis) + " ms old");
        }
        return LagReading.measured(history.lagMillis(now, replayedSeq, replayedMillis), null, null);
    }

    private synchronized void write(long now) throws SQLException {
        Connection c = primary.connection();
        if (!tableReady) {
            try (Statement ddl = c.createStatement()) {
                if (primary.postgres()) {
                    ddl.execute("CREATE SCHEMA IF NOT EXISTS " + link.heartbeatSchema());
                } else {
                    ddl.execute("CREATE DATABASE IF NOT EXISTS " + link.heartbeatSchema());
                }
                ddl.execute("CREATE TABLE IF NOT EXISTS " + table
                        + " (link VARCHAR(200) PRIMARY KEY, seq BIGINT NOT NULL, beat_millis BIGINT NOT NULL)");
            }
            tableReady = true;
        }
        long seq = history.nextSeq(now);
        String upsert = primary.postgres()
                ? "INSERT INTO " + table + " (link, seq, beat_millis) VALUES (?, ?, ?) "
                        + "ON CONFLICT (link) DO UPDATE SET seq = EXCLUDED.seq, beat_millis = EXCLUDED.beat_millis"
                : "INSERT INTO " + table + " (link, seq, beat_millis) VALUES (?, ?, ?) "
                        + "ON DUPLICATE KEY UPDATE seq = VALUES(seq), beat_millis = VALUES(beat_millis)";
        try (PreparedStatement write = c.prepareStatement(upsert)) {
            write.setString(1, link.name());
            write.setLong(2, seq);
            write.setLong(3, now);
            write.executeUpdate();
        }
        history.written(seq, now);
    }

    private static boolean isMissingTable(SQLException e) {
        // PostgreSQL: undefined_table / invalid_schema_name; MySQL: ER_NO_SUCH_TABLE / ER_BAD_DB_ERROR
        return "42P01".equals(e.getSQLState())
                || "3F000".equals(e.getSQLState())
                || "42S02".equals(e.getSQLState())
                || e.getErrorCode() == 1146
                || e.getErrorCode() == 1049;
    }

    @Override
    public void close() {
        primary.close();
        replica.close();
    }
}
