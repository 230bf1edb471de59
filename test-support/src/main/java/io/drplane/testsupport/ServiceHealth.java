package io.drplane.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** A service's {@code /health} as its orchestrator reads it. */
public final class ServiceHealth {

    private ServiceHealth() {}

    /**
     * Polls {@code base}/health until it answers 503 (DOWN) and answers the body, which says why; fails after
     * {@code within}.
     */
    public static String awaitDown(URI base, Duration within) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(within);
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(base.resolve("/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            body = health.body();
            if (health.statusCode() == 503) {
                return body;
            }
            Thread.sleep(200); // polling the service; no time of the code under test passes here
        }
        throw new AssertionError("/health of " + base + " was not DOWN within " + within + "; it said: " + body);
    }
}
