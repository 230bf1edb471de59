package io.drplane.localstack.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The web tier of one simulated region: a few {@link WebInstance}s behind a front that plays the load balancer. The
 * front sends each request to the next instance that answers 2xx within a second (as a load balancer routes only to
 * healthy targets) and answers 503 when none does. A dark region's front refuses connections; a vantage point cut
 * off from the region (by the health monitors' {@code X-Drplane-Vantage-Point} header) gets no answer at all.
 */
public final class SimulatedRegion implements AutoCloseable {

    private static final String VANTAGE_HEADER = "X-Drplane-Vantage-Point";

    private final String name;
    private final List<WebInstance> instances = new ArrayList<>();
    private final Set<String> cutOff = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private volatile CountDownLatch partitionHealed = new CountDownLatch(1);
    private HttpServer front;
    private int port;
    private volatile boolean dark;

    public SimulatedRegion(String name, int instanceCount) {
        this.name = name;
        for (int i = 1; i <= instanceCount; i++) {
            instances.add(new WebInstance(name, i));
        }
        listen(0);
    }

    private synchronized void listen(int wantedPort) {
        try {
            front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the " + name + " front", e);
        }
        front.createContext("/", this::route);
        front.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "sim-front-" + name);
            thread.setDaemon(true);
            return thread;
        }));
        front.start();
        port = front.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    /** The front's URL for a path, as the health monitors and the local plan use it. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public int instanceCount() {
        return instances.size();
    }

    public void instance(int index, InstanceMode mode) {
        if (index < 1 || index > instances.size()) {
            throw new IllegalArgumentException(name + " has instances 1 to " + instances.size() + ", not " + index);
        }
        instances.get(index - 1).mode(mode);
    }

    public void allInstances(InstanceMode mode) {
        instances.forEach(i -> i.mode(mode));
    }

    public List<InstanceMode> modes() {
        return instances.stream().map(WebInstance::mode).toList();
    }

    /** The whole region goes dark (its front refuses connections) or comes back. */
    public synchronized void dark(boolean value) {
        if (value == dark) {
            return;
        }
        if (value) {
            front.stop(0);
        } else {
            listen(port);
        }
        dark = value;
    }

    public boolean dark() {
        return dark;
    }

    /** Cuts one vantage point off from this region (its probes get no answer), or heals the cut. */
    public void cutOff(String vantagePoint, boolean value) {
        if (value) {
            cutOff.add(vantagePoint);
        } else if (cutOff.remove(vantagePoint)) {
            partitionHealed.countDown();
            partitionHealed = new CountDownLatch(1);
        }
    }

    public Set<String> cutOff() {
        return Set.copyOf(cutOff);
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String vantage = exchange.getRequestHeaders().getFirst(VANTAGE_HEADER);
            if (vantage != null && cutOff.contains(vantage)) {
                WebInstance.await(
                        partitionHealed,
                        30_000); // the packets are lost: no answer until the cut heals or the prober gives up
                return;
            }
            int start = Math.floorMod(next.getAndIncrement(), instances.size());
            for (int i = 0; i < instances.size(); i++) {
                WebInstance instance = instances.get((start + i) % instances.size());
                try {
                    HttpResponse<byte[]> answer = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + instance.port() + exchange.getRequestURI()))
                                    .timeout(Duration.ofSeconds(1))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (answer.statusCode() / 100 == 2) {
                        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                        exchange.getResponseBody().write(answer.body());
                        return;
                    }
                } catch (IOException e) {
                    // refused, reset or timed out: the next instance
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = ("no healthy targets in " + name + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public synchronized void close() {
        partitionHealed.countDown();
        if (!dark) {
            front.stop(0);
        }
        instances.forEach(WebInstance::close);
    }
}
