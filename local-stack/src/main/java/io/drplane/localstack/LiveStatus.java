package io.drplane.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The local stack's live status in the terminal, read from the coordinator's API: per group, each region's state
 * with its vantage points' votes, the replication lag, and the last decision with its reason. A group's line is
 * printed when any of that changes, so the terminal reads as the incident's log.
 */
final class LiveStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI coordinator;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, String> last = new HashMap<>();

    LiveStatus(URI coordinator) {
        this.coordinator = coordinator;
    }

    /** Prints what changed since the last call; says nothing while the coordinator does not answer yet. */
    void print(PrintWriter out) {
        JsonNode groups = get("/groups");
        if (groups == null) {
            return;
        }
        for (JsonNode summary : groups) {
            String id = summary.path("group").asText();
            JsonNode group = get("/groups/" + id);
            if (group == null) {
                continue;
            }
            String line = line(group);
            if (!line.equals(last.put(id, line))) {
                out.printf("[%s] %s%n", LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), line);
                out.flush();
            }
        }
    }

    static String line(JsonNode group) {
        List<String> regions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = group.path("regions").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> region = it.next();
            int open = 0;
            int vantages = 0;
            for (Iterator<Map.Entry<String, JsonNode>> v = group.path("vantagePoints").fields(); v.hasNext(); ) {
                Map.Entry<String, JsonNode> vantage = v.next();
                if (vantage.getKey().startsWith(region.getKey() + "|")) {
                    vantages++;
                    boolean failing = false;
                    for (JsonNode breaker : vantage.getValue().path("breakers")) {
                        failing |= !breaker.asText().equals("CLOSED");
                    }
                    open += failing ? 1 : 0;
                }
            }
            regions.add(region.getKey() + " " + region.getValue().asText() + " (" + (vantages - open) + " of " + vantages + " vantage points see it up)");
        }
        List<String> lags = new ArrayList<>();
        group.path("lag").fields().forEachRemaining(l -> lags.add(l.getKey() + " " + l.getValue().asText().replaceAll(" at .*", "")));
        List<String> steps = new ArrayList<>();
        group.path("failover").path("steps").fields().forEachRemaining(step -> steps.add(step.getKey() + " " + step.getValue().asText()));
        String failover = group.path("failover").isMissingNode() ? "" : " | failover to " + group.path("failover").path("to").asText()
                + ": " + String.join(", ", steps);
        String decision = group.path("lastDecision").asText("-").replaceFirst("^\\S+ ", "");
        return group.path("group").asText() + ": primary " + group.path("primary").asText() + ", " + group.path("analysis").asText("UNKNOWN")
                + " | " + String.join("; ", regions) + (lags.isEmpty() ? "" : " | lag " + String.join(", ", lags)) + failover
                + " | last: " + decision;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(coordinator.resolve(path)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
