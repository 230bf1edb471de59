package io.drplane.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The replication pair is real: the primary streams to the replica, and replay can be paused. */
class PostgresPairIT {

    @Test
    void shouldStreamFromPrimaryToReplicaAndPauseReplay() throws Exception {
        try (PostgresPair pair = PostgresPair.start();
                Connection primary = pair.primary();
                Connection replica = pair.replica();
                Statement p = primary.createStatement();
                Statement r = replica.createStatement()) {
            ResultSet streaming = p.executeQuery("SELECT state FROM pg_stat_replication");
            assertThat(streaming.next()).isTrue();
            assertThat(streaming.getString(1)).isEqualTo("streaming");

            p.execute("CREATE TABLE orders (id int primary key)");
            p.execute("INSERT INTO orders VALUES (1)");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> count(r) == 1);

            pair.pauseReplay();
            p.execute("INSERT INTO orders VALUES (2)");
            ResultSet paused = r.executeQuery("SELECT pg_is_wal_replay_paused()");
            paused.next();
            assertThat(paused.getBoolean(1)).isTrue();
            assertThat(count(r))
                    .as("the replica does not see the row while replay is paused")
                    .isEqualTo(1);

            pair.resumeReplay();
            await().atMost(Duration.ofSeconds(10)).until(() -> count(r) == 2);
        }
    }

    private static int count(Statement replica) throws Exception {
        try (ResultSet rs = replica.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void shouldReverseAsAFailoverAndReprotectDoAndBackAgain() throws Exception {
        try (PostgresPair pair = PostgresPair.start()) {
            execute(pair.primary(), "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)");
            execute(pair.primary(), "INSERT INTO orders (note) VALUES ('before the failover')");
            String firstPrimary = pair.primaryUrl();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> count(pair.replica()) == 1);

            pair.promoteReplica();
            assertThat(pair.replicating()).isFalse();
            assertThat(pair.primaryUrl()).as("the old replica takes writes").isNotEqualTo(firstPrimary);
            execute(pair.primary(), "INSERT INTO orders (note) VALUES ('on the new primary')");

            pair.rebuildReplica();
            assertThat(pair.replicating()).isTrue();
            assertThat(pair.replicaUrl())
                    .as("the old primary, re-created as its replica")
                    .isEqualTo(firstPrimary);
            execute(pair.primary(), "INSERT INTO orders (note) VALUES ('streamed to the old primary')");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> count(pair.replica()) == 3);
            try (Connection replica = pair.replica();
                    Statement s = replica.createStatement();
                    ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
                r.next();
                assertThat(r.getBoolean(1)).as("a standby, read-only").isTrue();
            }

            // and back: a failback and the re-protect after it give the first topology again
            pair.promoteReplica();
            pair.rebuildReplica();
            assertThat(pair.primaryUrl()).isEqualTo(firstPrimary);
            execute(pair.primary(), "INSERT INTO orders (note) VALUES ('home again')");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> count(pair.replica()) == 4);
        }
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (connection;
                Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection connection) throws Exception {
        try (connection;
                Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM orders")) {
            r.next();
            return r.getLong(1);
        }
    }
}
