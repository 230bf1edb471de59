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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AWS as one service sees it: every call passes through to the emulator, unless a game day makes AWS throttle that
 * service, when each call is answered with the error the real API gives a caller over its rate (HTTP 400 with
 * {@code Throttling} in the query protocol of RDS, {@code RequestLimitExceeded} for EC2,
 * {@code ThrottlingException} in the JSON protocol of DynamoDB and AWS Backup). The caller's own retries and backoff
 * then run for real.
 */
public final class AwsFaultProxy implements AutoCloseable {

    /** Hop-by-hop headers and those the HTTP client sets itself. */
    private static final Set<String> NOT_FORWARDED =
            Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final URI target;
    private final HttpServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean throttling = new AtomicBoolean();
    private final AtomicLong throttled = new AtomicLong();

    public AwsFaultProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1 for the AWS fault proxy", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task, "aws-fault-proxy");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** AWS throttles every call from now on, or stops. */
    public void throttle(boolean on) {
        throttling.set(on);
    }

    public boolean throttling() {
        return throttling.get();
    }

    /** Calls answered with a throttling error since the proxy started. */
    public long throttledCalls() {
        return throttled.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (throttling.get()) {
                throttled.incrementAndGet();
                throttle(exchange, body);
                return;
            }
            forward(exchange, body);
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        target.resolve(exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null
                                        ? ""
                                        : "?" + exchange.getRequestURI().getRawQuery())))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
            return;
        } catch (IOException e) {
            answer(exchange, 502, "text/plain", "the emulator did not answer: " + e);
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
    }

    /** The throttling error in the caller's protocol, as the real service words it. */
    private static void throttle(HttpExchange exchange, byte[] body) throws IOException {
        String requestId = UUID.randomUUID().toString();
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String text = new String(body, StandardCharsets.UTF_8);
        if (amzTarget != null || !text.contains("Action=")) {
            // JSON protocols (DynamoDB, AWS Backup's REST-JSON): the error type in a header and the body
            exchange.getResponseHeaders().set("x-amzn-ErrorType", "ThrottlingException");
            answer(
                    exchange,
                    400,
                    "application/x-amz-json-1.0",
                    "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        } else if (text.contains("Version=2016-11-15")) {
            answer(
                    exchange,
                    503,
                    "text/xml",
                    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
                            + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>");
        } else {
            answer(
                    exchange,
                    400,
                    "text/xml",
                    "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
                            + "</Error><RequestId>" + requestId + "</RequestId></ErrorResponse>");
        }
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
