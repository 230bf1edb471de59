package io.drplane.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The moto AWS emulator for tests: one server per test JVM (a {@code python3 -m moto.server} child process on a
 * free loopback port, or the {@code motoserver/moto} container), reset between tests. One server serves every
 * simulated region: moto keeps regions apart by the signing region of each request.
 */
public final class MotoServer {

    private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
    public static final String MOTO_IMAGE = "motoserver/moto:5.1.18";
    public static final String INSTALL_HINT = "moto (the AWS emulator) is not installed for python3. Install it with "
            + "`pip install 'moto[server]'` (5.x), or point the tests at containers with DRPLANE_TEST_INFRA=containers.";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static volatile MotoServer shared;

    private final URI endpoint;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The shared server, started on first use. */
    public static MotoServer shared() {
        MotoServer server = shared;
        if (server == null) {
            synchronized (MotoServer.class) {
                server = shared;
                if (server == null) {
                    server = TestInfrastructure.selected() == TestInfrastructure.CONTAINERS
                            ? startContainer()
                            : startProcess();
                    shared = server;
                }
            }
        }
        return server;
    }

    /** The endpoint to give the AWS SDK as {@code endpointOverride}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Forgets every resource in every region, so each test starts from an empty account. */
    public void reset() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "moto reset answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto reset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** True when {@code python3} can import moto. */
    public static boolean motoInstalled() {
        try {
            Process check = new ProcessBuilder("python3", "-c", "import moto.server")
                    .redirectErrorStream(true)
                    .start();
            check.getInputStream().readAllBytes();
            return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static MotoServer startProcess() {
        if (!motoInstalled()) {
            throw new IllegalStateException(INSTALL_HINT);
        }
        int port = freePort();
        try {
            Process process = new ProcessBuilder(
                            "python3", launcher().toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "moto-stop"));
            awaitLine(process, "Running on", START_TIMEOUT);
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            LOG.info("moto ready at {}", endpoint);
            return new MotoServer(endpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start moto", e);
        }
    }

    /**
     * The repository's moto launcher (tools/moto-server.py: moto with its RDS read-replica promotion fixed), found from
     * the working directory up, as tests run in a module directory.
     */
    public static Path launcher() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path launcher = dir.resolve("tools").resolve("moto-server.py");
            if (Files.isRegularFile(launcher)) {
                return launcher;
            }
        }
        throw new IllegalStateException(
                "tools/moto-server.py not found above " + Path.of("").toAbsolutePath());
    }

    /** Waits for a line of the child's output (its own "ready" signal); keeps draining the output afterwards. */
    static void awaitLine(Process process, String marker, Duration timeout) {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            synchronized (tail) {
                                tail.addLast(line);
                                if (tail.size() > 20) {
                                    tail.removeFirst();
                                }
                            }
                            if (line.contains(marker)) {
                                seen.complete(null);
                            }
                        }
                        seen.completeExceptionally(new IllegalStateException("exited with " + process.waitFor()));
                    } catch (IOException | InterruptedException e) {
                        seen.completeExceptionally(e);
                    }
                },
                "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            synchronized (tail) {
                throw new IllegalStateException(
                        "child process did not print '" + marker + "' within " + timeout + " (" + e.getMessage()
                                + "); last output:\n" + String.join("\n", tail),
                        e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static MotoServer startContainer() {
        TestInfrastructure.requireDocker();
        GenericContainer<?> container = new GenericContainer<>(MOTO_IMAGE)
                .withExposedPorts(5000)
                .waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "moto-container-stop"));
        return new MotoServer(URI.create("http://" + container.getHost() + ":" + container.getMappedPort(5000)));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
