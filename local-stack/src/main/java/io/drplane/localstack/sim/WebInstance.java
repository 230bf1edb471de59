package io.drplane.localstack.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** One web instance of a simulated region: a real HTTP server on a loopback port, whose behaviour can be changed. */
final class WebInstance implements AutoCloseable {

    private static final long HANG_MILLIS = 60_000;
    private static final long SLOW_MILLIS = 3_000;

    private final String region;
    private final int index;
    private volatile InstanceMode mode = InstanceMode.OK;
    private volatile CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;
    private int port;

    WebInstance(String region, int index) {
        this.region = region;
        this.index = index;
        start(0);
    }

    private synchronized void start(int wantedPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for " + region + " instance " + index, e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "sim-" + region + "-" + index);
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        port = server.getAddress().getPort();
    }

    synchronized void mode(InstanceMode next) {
        if (next == mode) {
            return;
        }
        if (mode == InstanceMode.STOPPED) {
            start(port);
        }
        released.countDown(); // let hanging and slow requests go
        released = new CountDownLatch(1);
        if (next == InstanceMode.STOPPED) {
            server.stop(0);
        }
        mode = next;
    }

    InstanceMode mode() {
        return mode;
    }

    int port() {
        return port;
    }

    String name() {
        return region + "-" + index;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            InstanceMode now = mode;
            CountDownLatch latch = released;
            if (now == InstanceMode.HANGING) {
                await(latch, HANG_MILLIS);
                return; // closes without an answer
            }
            if (now == InstanceMode.SLOW) {
                await(latch, SLOW_MILLIS);
            }
            int status = now == InstanceMode.FAILING ? 500 : 200;
            byte[] body = ((status == 200 ? "ok " : "error ") + name() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Holds a request until the latch opens or the time is up: a hang that a mode change or close ends. */
    static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        released.countDown();
        if (mode != InstanceMode.STOPPED) {
            server.stop(0);
        }
    }
}
