package io.drplane.localstack;

import io.drplane.coordinator.view.ApiJson;
import io.drplane.coordinator.view.GroupView;
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
import java.util.List;
import java.util.Map;

/**
 * The local stack's live status in the terminal, read from the coordinator's API: per group, each region's state
 * with its vantage points' votes, the replication lag, each region's newest recovery point, and the last decision with
 * its reason. A group's line is
 * printed when any of that changes, so the terminal reads as the incident's log.
 */
final class LiveStatus {

    private final URI coordinator;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, String> last = new HashMap<>();

    LiveStatus(URI coordinator, String token) {
        this.token = token;
        this.coordinator = coordinator;
    }

    /** Prints what changed since the last call; says nothing while the coordinator does not answer yet. */
    void print(PrintWriter out) {
        String groups = get("/groups");
        if (groups == null) {
            return;
        }
        for (GroupView summary : ApiJson.groups(groups)) {
            String group = get("/groups/" + summary.group());
            if (group == null) {
                continue;
            }
            String line = line(ApiJson.group(group));
            if (!line.equals(last.put(summary.group(), line))) {
                out.printf("[%s] %s%n", LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), line);
                out.flush();
            }
        }
    }

    static String line(GroupView group) {
        List<String> regions = new ArrayList<>();
        Map<String, GroupView.VantageView> vantagePoints =
                group.vantagePoints() == null ? Map.of() : group.vantagePoints();
        (group.regions() == null ? Map.<String, String>of() : group.regions()).forEach((region, health) -> {
            int open = 0;
            int vantages = 0;
            for (Map.Entry<String, GroupView.VantageView> vantage : vantagePoints.entrySet()) {
                if (vantage.getKey().startsWith(region + "|")) {
                    vantages++;
                    open += vantage.getValue().breakers().stream().anyMatch(b -> !b.equals("CLOSED")) ? 1 : 0;
                }
            }
            regions.add(region + " " + health + " (" + (vantages - open) + " of " + vantages
                    + " vantage points see it up)");
        });
        List<String> lags = new ArrayList<>();
        (group.lag() == null ? Map.<String, GroupView.LinkLag>of() : group.lag())
                .forEach((link, lag) -> lags.add(
                        link + " " + lag.status() + (lag.lagMillis() == null ? "" : " " + lag.lagMillis() + " ms")));
        String failover = group.failover() == null
                ? ""
                : " | failover to " + group.failover().to() + ": "
                        + String.join(
                                ", ",
                                group.failover().steps().stream()
                                        .map(step ->
                                                step.name() + " " + step.status() + " (attempt " + step.attempt() + ")")
                                        .toList());
        // when the newest recovery point in each region was taken: moves when a backup or a copy lands there
        List<String> points = new ArrayList<>();
        (group.recoveryPoints() == null ? Map.<String, String>of() : group.recoveryPoints())
                .forEach((region, at) -> points.add(region + " " + at.replaceFirst(":\\d{2}(\\.\\d+)?Z$", "Z")));
        GroupView.DecisionView last = group.lastDecision();
        String decision = last == null
                ? "-"
                : last.type() + (last.reasonCode() == null ? "" : " " + last.reasonCode() + ": " + last.reason());
        return group.group() + ": primary " + group.primary() + ", "
                + (group.analysis() == null ? "UNKNOWN" : group.analysis())
                + " | " + String.join("; ", regions) + (lags.isEmpty() ? "" : " | lag " + String.join(", ", lags))
                + failover
                + (points.isEmpty() ? "" : " | backups " + String.join(", ", points))
                + " | last: " + decision;
    }

    private String get(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(coordinator.resolve(path))
                            .timeout(Duration.ofSeconds(2))
                            .header("Authorization", "Bearer " + token)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
