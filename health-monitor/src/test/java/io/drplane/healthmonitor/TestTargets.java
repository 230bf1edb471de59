package io.drplane.healthmonitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Real servers on loopback that behave like the targets a health monitor meets: up, answering 500, slow, with the
 * wrong body, flapping every second, hanging after accepting the connection, and HTTPS with a self-signed
 * certificate. Plus a port where nothing listens.
 */
public final class TestTargets implements AutoCloseable {

    public static final String PASSWORD = "changeit";

    private final HttpServer http;
    private final HttpsServer https;
    private final ServerSocket hanging;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final int closedPort;
    private final Path keyStore;

    public TestTargets(Path dir) throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.createContext("/ok", exchange -> respond(exchange, 200, "status: ok"));
        http.createContext("/error", exchange -> respond(exchange, 500, "internal error"));
        http.createContext("/wrong-body", exchange -> respond(exchange, 200, "down for maintenance"));
        http.createContext(
                "/flap", exchange -> respond(exchange, (System.currentTimeMillis() / 1000) % 2 == 0 ? 200 : 503, "ok"));
        // Answers after 3 s, from another thread, so no server thread waits.
        http.createContext(
                "/slow", exchange -> later.schedule(() -> respond(exchange, 200, "ok"), 3, TimeUnit.SECONDS));
        http.start();

        keyStore = dir.resolve("self-signed.p12");
        selfSignedKeyStore(keyStore);
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(keyStore)));
        https.createContext("/ok", exchange -> respond(exchange, 200, "status: ok"));
        https.start();

        hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!hanging.isClosed()) {
                        try {
                            held.add(hanging.accept()); // accepted, never answered
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "hanging-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();

        try (ServerSocket probe = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
    }

    public String http(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    public String https(String path) {
        return "https://localhost:" + https.getAddress().getPort() + path;
    }

    public String hangingUrl() {
        return "http://127.0.0.1:" + hanging.getLocalPort() + "/health";
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    public int closedPort() {
        return closedPort;
    }

    /** The self-signed certificate's store, to trust it. */
    public Path keyStore() {
        return keyStore;
    }

    private static void respond(HttpExchange exchange, int status, String body) {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the prober gave up on this request already
        }
    }

    private static void selfSignedKeyStore(Path file) throws Exception {
        Files.deleteIfExists(file);
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "target",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    private static SSLContext serverContext(Path keyStoreFile) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        https.stop(0);
        hanging.close();
        for (Socket socket : held) {
            socket.close();
        }
        later.shutdownNow();
    }
}
