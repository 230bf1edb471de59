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
 * replication connections are trusted from loopback. The pair can reverse, as a failover and re-protect do: the
 * replica is promoted ({@link #promoteReplica}), then the old primary is re-created as a streaming replica of the new
 * one with {@code pg_basebackup} ({@link #rebuildReplica}).
 */
public final class PostgresPair implements AutoCloseable {

    public static final String USER = "drplane";
    public static final String PASSWORD = "drplane-test-password";
    public static final String DATABASE = "shop";
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    /** One server: its data directory's name under the root, and its port. */
    private record Node(String name, int port) {}

    private final Path root;
    private final boolean asRoot = "root".equals(System.getProperty("user.name"));
    /** The server that takes writes now, and the other one. */
    private volatile Node writer;

    private volatile Node reader;
    /** Whether the reader streams from the writer (false between a promotion and the rebuild). */
    private volatile boolean readerReplicating = true;

    private PostgresPair(Path root, int primaryPort, int replicaPort) {
        this.root = root;
        this.writer = new Node("primary", primaryPort);
        this.reader = new Node("replica", replicaPort);
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
        int primaryPort = writer.port();
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
        streamFrom(writer, reader);
    }

    /** {@code to} becomes a streaming replica of {@code from}: a base backup of it, with its own port. */
    private void streamFrom(Node from, Node to) throws IOException {
        Path dir = root.resolve(to.name());
        run(
                BIN.resolve("pg_basebackup").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(from.port()),
                "-U",
                "postgres",
                "-D",
                dir.toString(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast");
        Files.writeString(
                dir.resolve("postgresql.conf"),
                "\nport = " + to.port() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        chownToPostgres(root);
        pgCtl(dir, "start", to.name());
    }

    /**
     * The replica stops replaying and takes writes ({@code pg_ctl promote}): it is the primary from now on. The old
     * primary is left as it is, running and taking writes if anyone still sends them, until {@link #rebuildReplica}.
     */
    public synchronized void promoteReplica() {
        if (!readerReplicating) {
            throw new IllegalStateException("the replica was promoted already; rebuild the other server first");
        }
        run(BIN.resolve("pg_ctl").toString(), "-D", root.resolve(reader.name()).toString(), "-w", "promote");
        Node promoted = reader;
        reader = writer;
        writer = promoted;
        readerReplicating = false;
    }

    /**
     * The server that is not the primary is re-created as a streaming replica of the primary: stopped, its data
     * directory replaced by a {@code pg_basebackup} of the primary (what re-protect does to an old primary).
     */
    public synchronized void rebuildReplica() {
        Path dir = root.resolve(reader.name());
        if (Files.exists(dir.resolve("postmaster.pid"))) {
            runQuietly(BIN.resolve("pg_ctl").toString(), "-D", dir.toString(), "-m", "immediate", "-w", "stop");
        }
        try {
            if (Files.exists(dir)) {
                try (var files = Files.walk(dir)) {
                    for (Path file :
                            files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
            streamFrom(writer, reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        readerReplicating = true;
    }

    /** Whether the replica streams from the primary now (not between a promotion and a rebuild). */
    public boolean replicating() {
        return readerReplicating;
    }

    /**
     * Restores a {@code pg_dump} of the primary's database into {@code database} on the primary's server: the copy a
     * restore from backup would give, for a restore test to query. The dump replaces the tables in one transaction, so
     * a query running meanwhile waits a moment and sees the old copy or the new one, never none.
     */
    public void restoreDumpOfPrimary(String database) {
        String port = Integer.toString(writer.port());
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
        return "127.0.0.1:" + writer.port();
    }

    public String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + writer.port() + "/" + DATABASE;
    }

    public String replicaUrl() {
        return "jdbc:postgresql://127.0.0.1:" + reader.port() + "/" + DATABASE;
    }

    /** A connection as {@value #USER} to the primary. */
    public Connection primary() throws SQLException {
        return connect(writer.port());
    }

    /** A connection as {@value #USER} to the replica (read-only). */
    public Connection replica() throws SQLException {
        return connect(reader.port());
    }

    public void pauseReplay() throws SQLException {
        try (Connection c = superuser(reader.port(), DATABASE);
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_pause()");
        }
    }

    public void resumeReplay() throws SQLException {
        try (Connection c = superuser(reader.port(), DATABASE);
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_wal_replay_resume()");
        }
    }

    public void stopPrimary() {
        pgCtl(root.resolve(writer.name()), "stop", writer.name());
    }

    public void startPrimary() {
        pgCtl(root.resolve(writer.name()), "start", writer.name());
    }

    public void stopReplica() {
        pgCtl(root.resolve(reader.name()), "stop", reader.name());
    }

    public void startReplica() {
        pgCtl(root.resolve(reader.name()), "start", reader.name());
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
