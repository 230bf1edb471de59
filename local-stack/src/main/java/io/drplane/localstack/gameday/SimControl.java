package io.drplane.localstack.gameday;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The local stack's faults: a client of the simulated application's control API. */
public final class SimControl implements FaultInjector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public SimControl(URI base) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
    }

    JsonNode state() {
        return send("GET", "");
    }

    @Override
    public void reset() {
        send("POST", "reset");
    }

    @Override
    public void healRegions() {
        send("POST", "regions/reset");
    }

    @Override
    public void dark(String region, boolean on) {
        send("POST", "regions/" + region + "/dark?on=" + on);
    }

    @Override
    public void instance(String region, int n, String mode) {
        send("POST", "regions/" + region + "/instances/" + n + "?mode=" + mode);
    }

    @Override
    public void allInstances(String region, String mode) {
        send("POST", "regions/" + region + "/instances?mode=" + mode);
    }

    @Override
    public void cutOff(String region, String vantage, boolean on) {
        send("POST", "regions/" + region + "/cut-off/" + vantage + "?on=" + on);
    }

    @Override
    public void replay(boolean on) {
        send("POST", "database/replay?on=" + on);
    }

    @Override
    public void lag(String link, double seconds) {
        send("POST", "links/" + link + "/lag?seconds=" + seconds);
    }

    @Override
    public void throttleBackups(boolean on) {
        send("POST", "aws/backup/throttle?on=" + on);
    }

    /** Calls of the backup scheduler AWS answered with a throttling error since the stack started. */
    long throttledBackupCalls() {
        return state().path("backupAwsThrottledCalls").asLong();
    }

    @Override
    public String databaseKind() {
        return state().path("database").asText();
    }

    private JsonNode send(String method, String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(base.resolve(path))
                            .timeout(Duration.ofSeconds(10))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the simulation refused " + method + " " + path + ": "
                        + body.path("error").asText());
            }
            return body;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the simulated application does not answer at " + base + " (is `./drplane up` running?): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
