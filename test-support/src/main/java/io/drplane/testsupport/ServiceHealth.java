package io.drplane.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;

/** A service's {@code /health} as its orchestrator reads it. */
public final class ServiceHealth {

    private ServiceHealth() {}

    /**
     * Polls {@code base}/health until it answers 503 (DOWN) and answers the body, which says why; fails after
     * {@code within}.
     */
    public static String awaitDown(URI base, Duration within) {
        HttpClient http = HttpClient.newHttpClient();
        String[] body = {""};
        Awaitility.await("/health of " + base + " DOWN")
                .atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> health = http.send(
                            HttpRequest.newBuilder(base.resolve("/health"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    body[0] = health.body();
                    return health.statusCode() == 503;
                });
        return body[0];
    }
}
