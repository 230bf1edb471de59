package io.drplane.devdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL primary and a streaming replica on two loopback ports, in a temporary directory: initdb,
 * {@code wal_level=replica}, {@code pg_basebackup -R} for the replica. The servers refuse to run as root, so as
 * root they run as the {@code postgres} user. The role {@value #USER} logs in with a password (scram-sha-256);
 * replication connections are trusted from loopback.
 */
public final class PostgresPair implements AutoCloseable {

    public static final String USER = "drplane";
    public static final String PASSWORD = "drplane-test-password";
    public static final String DATABASE = "shop";
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path root;
    private final int primaryPort;
    private final int replicaPort;
    private final boolean asRoot = "root".equals(System.getProperty("user.name"));

    private PostgresPair(Path root, int primaryPort, int replicaPort) {
        this.root = root;
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
    }

    /** True when the PostgreSQL 15 server binaries are installed. */
    public static boolean installed() {
        return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_basebackup"));
    }

    public static PostgresPair start() {
        if (!installed()) {
            throw new IllegalStateException("PostgreSQL 15 server binaries are not in " + BIN
                    + "; install them with `apt-get install postgresql-15` (Debian 12)");
        }
        try {
            Path root = Files.createTempDirectory(
                    "drplane-pg", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            PostgresPair pair = new PostgresPair(root, freePort(), freePort());
            pair.init();
            Runtime.getRuntime().addShutdownHook(new Thread(pair::close, "postgres-stop"));
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void init() throws IOException {
        Path primary = root.resolve("primary");
        chownToPostgres(root);
        run(BIN.resolve("initdb").toString(), "-D", primary.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
        Files.writeString(
                primary.resolve("postgresql.conf"),
                String.join(
                        "\n",
                        "",
                        "listen_addresses = '127.0.0.1'",
                        "port = " + primaryPort,
                        "unix_socket_directories = '" + root + "'",
                        "wal_level = replica",
                        "max_wal_senders = 5",
                        "hot_standby = on",
                        "fsync = off",
                        "synchronous_commit = off",
                        "password_encryption = 'scram-sha-256'",
                        ""),
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Files.writeString(
                primary.resolve("pg_hba.conf"),
                String.join(
                        "\n",
                        "local all all trust",
                        "host replication all 127.0.0.1/32 trust",
                        "host all postgres 127.0.0.1/32 trust",
                        "host all all 127.0.0.1/32 scram-sha-256",
                        ""),
                StandardCharsets.UTF_8);
        chownToPostgres(root);
        pgCtl(primary, "start", "primary");
        try (Connection c = superuser(primaryPort, "postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the primary: " + e.getMessage(), e);
        }
        Path replica = root.resolve("replica");
        run(
                BIN.resolve("pg_basebackup").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(primaryPort),
                "-U",
                "postgres",
                "-D",
                replica.toString(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast");
        Files.writeString(
                replica.resolve("postgresql.conf"),
                "\nport = " + replicaPort + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        chownToPostgres(root);
        pgCtl(replica, "start", "replica");
    }

    /**
     * Restores a {@code pg_dump} of the primary's database into {@code database} on the primary's server: the copy a
     * restore from backup would give, for a restore test to query. The dump replaces the tables in one transaction, so
     * a query running meanwhile waits a moment and sees the old copy or the new one, never none.
     */
    public void restoreDumpOfPrimary(String database) {
        String port = Integer.toString(primaryPort);
        String dump = root.resolve("drill-dump.sql").toString();
        String server = "-h 127.0.0.1 -p " + port + " -U postgres";
        List<String> pgDump = new ArrayList<>(List.of(BIN.resolve("pg_dump").toString()));
        pgDump.addAll(List.of(server.split(" ")));
        pgDump.addAll(List.of("--clean", "--if-exists", "--no-owner", "-f", dump, DATABASE));
        run(pgDump.toArray(String[]::new));
        // there already after the first time: then its failure says nothing
        List<String> createdb = new ArrayList<>(List.of(BIN.resolve("createdb").toString()));
        createdb.addAll(List.of(server.split(" ")));
        createdb.addAll(List.of("-O", USER, database));
        runQuietly(createdb.toArray(String[]::new));
        List<String> psql = new ArrayList<>(List.of(BIN.resolve("psql").toString()));
        psql.addAll(List.of(server.split(" ")));
        psql.addAll(List.of("-q", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", dump));
        run(psql.toArray(String[]::new));
    }

    /** {@code host:port} of the primary's server. */
    public String primaryAddress() {
        return "127.0.0.1:" + primaryPort;
    }

    public String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/" + DATABASE;
    }

    public String replicaUrl() {
        return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/" + DATABASE;
    }

    /** A connection as {@value #USER} to the primary. */
    public Connection primary() throws SQLException {
        return connect(primaryPort);
    }

    /** A connection as {@value #USER} to the replica (read-only). */
    public Connection replica() throws SQLException {
        return connect(replicaPort);
    }

    public void pauseReplay() throws SQLException {
        try (Connection c = superuser(replicaPort, DATABASE);
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_pause()");
        }
    }

    public void resumeReplay() throws SQLException {
        try (Connection c = superuser(replicaPort, DATABASE);
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_resume()");
        }
    }

    public void stopPrimary() {
        pgCtl(root.resolve("primary"), "stop", "primary");
    }

    public void startPrimary() {
        pgCtl(root.resolve("primary"), "start", "primary");
    }

    public void stopReplica() {
        pgCtl(root.resolve("replica"), "stop", "replica");
    }

    public void startReplica() {
        pgCtl(root.resolve("replica"), "start", "replica");
    }

    @Override
    public void close() {
        for (String node : List.of("replica", "primary")) {
            Path dir = root.resolve(node);
            if (Files.exists(dir.resolve("postmaster.pid"))) {
                try {
                    runQuietly(BIN.resolve("pg_ctl").toString(), "-D", dir.toString(), "-m", "immediate", "-w", "stop");
                } catch (RuntimeException ignored) {
                    // best effort on the way out
                }
            }
        }
    }

    private static Connection connect(int port) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", PASSWORD);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, props);
    }

    private static Connection superuser(int port, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }

    private void pgCtl(Path dataDir, String action, String name) {
        List<String> command = new ArrayList<>(List.of(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-w",
                "-t",
                "60",
                "-l",
                root.resolve(name + ".log").toString()));
        if (action.equals("stop")) {
            command.addAll(List.of("-m", "fast"));
        }
        command.add(action);
        run(command.toArray(String[]::new));
    }

    private void run(String... command) {
        String output = runQuietly(command);
        if (output != null) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    /** Runs a command as the server user; returns its output when it failed, null when it succeeded. */
    private String runQuietly(String... command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .directory(root.toFile())
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out\n" + output;
            }
            return process.exitValue() == 0 ? null : output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void chownToPostgres(Path path) {
        if (asRoot) {
            try {
                Process chown = new ProcessBuilder("chown", "-R", "postgres:postgres", path.toString())
                        .redirectErrorStream(true)
                        .start();
                chown.getInputStream().readAllBytes();
                chown.waitFor(60, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
