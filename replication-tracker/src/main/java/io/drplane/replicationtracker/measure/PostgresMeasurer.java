package io.drplane.replicationtracker.measure;

import io.drplane.plan.ReplicationLink;
import io.drplane.runtime.secrets.SecretResolver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;

/**
 * PostgreSQL's own view of a streaming replica: on the primary, {@code pg_stat_replication} (bytes not yet replayed,
 * by {@code pg_wal_lsn_diff}); on the replica, {@code pg_last_xact_replay_timestamp()}, the primary's commit time of
 * the last replayed transaction. With nothing left to replay the lag is 0; otherwise it is the primary's clock minus
 * that commit time. A silent primary leaves the replica's figure as a lower bound (AT_LEAST); a silent replica, UNKNOWN.
 *
 * <p>Caveat: after a long idle spell, the first write makes the lag read as the idle time for the moment it takes to
 * replay; the heartbeat method does not have this blind spot.
 */
public final class PostgresMeasurer implements LagMeasurer {

    private final ReplicationLink link;
    private final Jdbc primary;
    private final Jdbc replica;

    public PostgresMeasurer(ReplicationLink link, SecretResolver secrets, Duration timeout) {
        this.link = link;
        this.primary = new Jdbc(link.source(), secrets, link.from(), timeout);
        this.replica = new Jdbc(link.target(), secrets, link.to(), timeout);
    }

    @Override
    public LagReading measure() {
        Timestamp lastReplayed;
        Timestamp replicaNow;
        boolean paused;
        try (Statement s = replica.connection().createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp(), now(), pg_is_wal_replay_paused()")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return LagReading.unknown(
                        "replica " + replica.url() + " is not in recovery: it is not a replica (promoted?)");
            }
            lastReplayed = rs.getTimestamp(2);
            replicaNow = rs.getTimestamp(3);
            paused = rs.getBoolean(4);
        } catch (SQLException e) {
            replica.reset();
            return LagReading.unknown("replica " + replica.url() + ": " + Jdbc.describe(e));
        }

        Long bytesBehind = null;
        String walLags;
        Timestamp primaryNow;
        int replicas;
        try (Statement s = primary.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT now(), (SELECT count(*) FROM pg_stat_replication), "
                        + "(SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) FROM pg_stat_replication), "
                        + "(SELECT max(write_lag)::text || ' / ' || max(flush_lag)::text || ' / ' || max(replay_lag)::text "
                        + "FROM pg_stat_replication)")) {
            rs.next();
            primaryNow = rs.getTimestamp(1);
            replicas = rs.getInt(2);
            long bytes = rs.getLong(3);
            bytesBehind = rs.wasNull() ? null : bytes;
            walLags = rs.getString(4);
        } catch (SQLException e) {
            primary.reset();
            if (lastReplayed == null) {
                return LagReading.unknown("primary " + primary.url() + ": " + Jdbc.describe(e)
                        + "; the replica has replayed nothing yet");
            }
            long atLeast = replicaNow.getTime() - lastReplayed.getTime();
            return LagReading.atLeast(
                    atLeast,
                    "primary " + primary.url() + ": " + Jdbc.describe(e) + "; the last replayed commit is " + atLeast
                            + " ms old");
        }
        String detail = (paused ? "replay is paused on the replica; " : "")
                + (walLags == null ? "" : "write/flush/replay lag " + walLags);
        detail = detail.isEmpty() ? null : detail;
        if (replicas == 0) {
            return LagReading.unknown("the primary has no replica connected (pg_stat_replication is empty)");
        }
        if (bytesBehind != null && bytesBehind == 0) {
            return LagReading.measured(0, 0L, detail);
        }
        if (lastReplayed == null) {
            return LagReading.unknown("the replica has replayed no transaction yet");
        }
        return LagReading.measured(primaryNow.getTime() - lastReplayed.getTime(), bytesBehind, detail);
    }

    @Override
    public void close() {
        primary.close();
        replica.close();
    }
}
