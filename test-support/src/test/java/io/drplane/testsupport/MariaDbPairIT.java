package io.drplane.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The MariaDB pair is real: the replica applies the primary's binlog, and applying can be stopped. */
class MariaDbPairIT {

    @Test
    void shouldReplicateFromPrimaryToReplica() throws Exception {
        try (MariaDbPair pair = MariaDbPair.start();
                Connection primary = pair.primary();
                Connection replica = pair.replica();
                Statement p = primary.createStatement();
                Statement r = replica.createStatement()) {
            p.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
            p.execute("INSERT INTO orders VALUES (1)");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> count(r) == 1);

            pair.stopReplicaSqlThread();
            p.execute("INSERT INTO orders VALUES (2)");
            try (ResultSet status = r.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(status.next()).isTrue();
                assertThat(status.getString("Slave_SQL_Running")).isEqualTo("No");
            }
            pair.startReplicaSqlThread();
            await().atMost(Duration.ofSeconds(20)).until(() -> count(r) == 2);
        }
    }

    private static int count(Statement replica) throws Exception {
        try (ResultSet rs = replica.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
