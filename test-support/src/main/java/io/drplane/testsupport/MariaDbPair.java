package io.drplane.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB primary and replica (binlog replication, GTID) on two loopback ports, in a temporary directory.
 * As root, the servers run as the {@code mysql} user. The user {@value #USER} logs in over TCP with a password.
 */
public final class MariaDbPair implements AutoCloseable {

    public static final String USER = "drplane";
    public static final String PASSWORD = "drplane-test-password";
    public static final String DATABASE = "shop";
    private static final Path SERVER = Path.of("/usr/sbin/mariadbd");
    private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    private static final Path CLIENT = Path.of("/usr/bin/mariadb");

    private final Path root;
    private final int primaryPort = MotoServer.freePort();
    private final int replicaPort = MotoServer.freePort();
    private final boolean asRoot = "root".equals(System.getProperty("user.name"));
    private Process primary;
    private Process replica;

    private MariaDbPair(Path root) {
        this.root = root;
    }

    public static boolean installed() {
        return Files.isExecutable(SERVER) && Files.isExecutable(INSTALL_DB) && Files.isExecutable(CLIENT);
    }

    public static MariaDbPair start() {
        if (!installed()) {
            throw new IllegalStateException(
                    "MariaDB is not installed (" + SERVER + "); install it with `apt-get install mariadb-server`");
        }
        try {
            MariaDbPair pair = new MariaDbPair(Files.createTempDirectory("drplane-mariadb"));
            pair.init();
            Runtime.getRuntime().addShutdownHook(new Thread(pair::close, "mariadb-stop"));
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void init() throws IOException {
        chown();
        for (String node : List.of("primary", "replica")) {
            run(
                    INSTALL_DB.toString(),
                    "--no-defaults",
                    "--datadir=" + root.resolve(node),
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                    asRoot ? "--user=mysql" : "--user=" + System.getProperty("user.name"));
        }
        chown();
        primary = server("primary", primaryPort, 1);
        sql(
                "primary",
                "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';"
                        + "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;"
                        + "CREATE DATABASE " + DATABASE + ";");
        replica = server("replica", replicaPort, 2);
        sql(
                "replica",
                "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primaryPort + ", MASTER_USER='" + USER
                        + "', MASTER_PASSWORD='" + PASSWORD + "', MASTER_USE_GTID=slave_pos; START SLAVE;");
    }

    public String primaryUrl() {
        return "jdbc:mariadb://127.0.0.1:" + primaryPort + "/" + DATABASE;
    }

    public String replicaUrl() {
        return "jdbc:mariadb://127.0.0.1:" + replicaPort + "/" + DATABASE;
    }

    public Connection primary() throws SQLException {
        return connect(primaryPort);
    }

    public Connection replica() throws SQLException {
        return connect(replicaPort);
    }

    /** Stops applying the relay log on the replica (the IO thread keeps receiving). */
    public void stopReplicaSqlThread() {
        sql("replica", "STOP SLAVE SQL_THREAD;");
    }

    public void startReplicaSqlThread() {
        sql("replica", "START SLAVE SQL_THREAD;");
    }

    private Process server(String node, int port, int serverId) {
        Path dir = root.resolve(node);
        List<String> command = new ArrayList<>(List.of(
                SERVER.toString(),
                "--no-defaults",
                "--datadir=" + dir,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + root.resolve(node + ".sock"),
                "--pid-file=" + root.resolve(node + ".pid"),
                "--server-id=" + serverId,
                "--log-bin=mysql-bin",
                "--binlog-format=ROW",
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M",
                "--log-error=" + root.resolve(node + ".err")));
        command.add(asRoot ? "--user=mysql" : "--user=" + System.getProperty("user.name"));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            watchErrorLog(root.resolve(node + ".err"), process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server logs to its error log; it is ready when that log says so. */
    private static void watchErrorLog(Path errorLog, Process process) {
        Process tail;
        try {
            tail = new ProcessBuilder("tail", "-F", "-n", "+1", errorLog.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            MotoServer.awaitLine(tail, "ready for connections", Duration.ofSeconds(60));
        } finally {
            tail.destroy();
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("mariadbd exited; see " + errorLog);
        }
    }

    private void sql(String node, String statements) {
        run(CLIENT.toString(), "--no-defaults", "--socket=" + root.resolve(node + ".sock"), "-uroot", "-e", statements);
    }

    private static Connection connect(int port) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", PASSWORD);
        props.setProperty("connectTimeout", "5000");
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE, props);
    }

    private void run(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void chown() {
        if (asRoot) {
            run("chown", "-R", "mysql:mysql", root.toString());
        }
    }

    @Override
    public void close() {
        for (Process process : new Process[] {replica, primary}) {
            if (process != null && process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }
    }
}
