package io.drplane.localstack.sim;

import io.drplane.devdb.PostgresPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated application's database, for real: a PostgreSQL primary taking an order every 200 ms and a streaming
 * replica. Its lag is measured on the replica as RDS measures {@code ReplicaLag}: zero when everything received is
 * replayed, otherwise the age of the last replayed transaction. A game day makes it fall behind by pausing replay.
 * It follows what happens to the RDS instances it stands for ({@link DatabaseMirror}): promoted with a failover,
 * the old primary re-created as a replica of the new one with re-protect; which region holds which server is kept
 * here.
 */
final class ReplicatedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedDatabase.class);

    private final PostgresPair pair;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sim-db-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong orders = new AtomicLong();
    private volatile boolean paused;
    /** The region whose database takes the writes, and the other one. */
    private volatile String writerRegion;

    private volatile String readerRegion;

    ReplicatedDatabase(String writerRegion, String readerRegion) {
        this.writerRegion = writerRegion;
        this.readerRegion = readerRegion;
        this.pair = PostgresPair.start();
        try (Connection c = pair.primary();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS orders (id bigserial PRIMARY KEY, placed_at timestamptz NOT NULL DEFAULT now())");
        } catch (SQLException e) {
            pair.close();
            throw new IllegalStateException("could not prepare the simulated database: " + e.getMessage(), e);
        }
        writer.scheduleWithFixedDelay(this::placeOrder, 0, 200, TimeUnit.MILLISECONDS);
        // what a restore of the latest backup holds: a dump of the primary, restored every 30 s (half a day on the
        // backup scheduler's compressed clock), where restore tests run their SQL validation
        writer.scheduleWithFixedDelay(this::restoreLatestDump, 0, 30, TimeUnit.SECONDS);
    }

    /** The database a restore test's SQL validation queries: the primary's data, restored from a real dump. */
    public static final String RESTORED_DATABASE = "shop_restored";

    private void restoreLatestDump() {
        try {
            pair.restoreDumpOfPrimary(RESTORED_DATABASE);
        } catch (RuntimeException e) {
            LOG.warn("could not restore a dump of the simulated primary: {}", e.getMessage());
        }
    }

    /** Where the restored copy answers ({@code host:port}), and as whom. */
    public String restoredAddress() {
        return pair.primaryAddress();
    }

    private void placeOrder() {
        try (Connection c = pair.primary();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders DEFAULT VALUES");
            orders.incrementAndGet();
        } catch (SQLException e) {
            LOG.debug("order not placed: {}", e.getMessage());
        }
    }

    String writerRegion() {
        return writerRegion;
    }

    String readerRegion() {
        return readerRegion;
    }

    /** Whether the reader region's server streams from the writer's now. */
    boolean replicating() {
        return pair.replicating();
    }

    /** The reader region's server is promoted: that region takes the writes, the other's server is left as it is. */
    synchronized void promote() {
        if (paused) {
            replay(true); // a promotion replays what was received first
        }
        pair.promoteReplica();
        String promoted = readerRegion;
        readerRegion = writerRegion;
        writerRegion = promoted;
        LOG.info("simulated database: {}'s server promoted, it takes the orders now", writerRegion);
    }

    /** The reader region's server is re-created as a streaming replica of the writer's (pg_basebackup). */
    synchronized void rebuild() {
        pair.rebuildReplica();
        LOG.info(
                "simulated database: {}'s server re-created as a streaming replica of {}'s",
                readerRegion,
                writerRegion);
    }

    /** The replica's lag in seconds, as RDS's ReplicaLag has it (waits while the replica is being rebuilt). */
    synchronized double lagSeconds() {
        if (!pair.replicating()) {
            throw new IllegalStateException("no server replicates now (between a promotion and re-protect)");
        }
        try (Connection c = pair.replica();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                                + " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END")) {
            r.next();
            return Math.max(0, r.getDouble(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the replica's lag: " + e.getMessage(), e);
        }
    }

    /** Replay on or off; with no replica (between a promotion and re-protect) there is nothing to pause. */
    synchronized void replay(boolean on) {
        if (!pair.replicating()) {
            paused = false;
            return;
        }
        try {
            if (on) {
                pair.resumeReplay();
            } else {
                pair.pauseReplay();
            }
            paused = !on;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + (on ? "resume" : "pause") + " replay: " + e.getMessage(), e);
        }
    }

    boolean paused() {
        return paused;
    }

    String describe() {
        return "PostgreSQL primary " + pair.primaryUrl() + " (" + writerRegion + ") and streaming replica "
                + pair.replicaUrl() + " (" + readerRegion + ")";
    }

    long orders() {
        return orders.get();
    }

    @Override
    public void close() {
        writer.shutdownNow();
        pair.close();
    }
}
