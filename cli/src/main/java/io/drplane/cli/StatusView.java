package io.drplane.cli;

import io.drplane.plan.WireName;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The coordinator's group views ({@code GET /groups}, {@code GET /groups/{id}}) as a person reads them in a terminal:
 * a table of every group, or one group in detail. {@code drplane status --json} prints the API's JSON instead.
 */
final class StatusView {

    private StatusView() {
    }

    /** One line per group: mode, primary, analysis, regions by quorum, and the failover in progress or pending. */
    static String groups(JsonNode groups) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"GROUP", "MODE", "PRIMARY", "ANALYSIS", "REGIONS", "FAILOVER"});
        for (JsonNode group : groups) {
            rows.add(new String[] {group.path("group").asText(), lower(group.path("mode").asText()), group.path("primary").asText("-"),
                    group.path("analysis").asText("(no input yet)"), regions(group.path("regions")), failover(group)});
        }
        return table(rows);
    }

    /** One group in detail: its state, each vantage point's votes and breakers, lag, and its recent decisions. */
    static String group(JsonNode group) {
        StringBuilder out = new StringBuilder();
        out.append("Group ").append(group.path("group").asText()).append(" (").append(lower(group.path("strategy").asText()))
                .append(", ").append(lower(group.path("mode").asText())).append(" mode)");
        if (group.has("epoch")) {
            out.append(", epoch ").append(group.path("epoch").asLong());
        }
        out.append('\n');
        field(out, "primary", group.path("primary").asText("-"));
        if (!group.has("analysis")) {
            field(out, "analysis", "none yet: the coordinator has decided no input of this group");
            return out.toString();
        }
        field(out, "analysis", group.path("analysis").asText() + ": " + group.path("analysisDescription").asText());
        field(out, "regions", regions(group.path("regions")));
        JsonNode failover = group.path("failover");
        if (failover.isObject()) {
            field(out, "failover", failover.path("id").asText() + " to " + failover.path("to").asText() + " ("
                    + failover.path("kind").asText() + ", epoch " + failover.path("epoch").asLong() + ")");
            for (Iterator<Map.Entry<String, JsonNode>> steps = failover.path("steps").fields(); steps.hasNext(); ) {
                Map.Entry<String, JsonNode> step = steps.next();
                out.append("               ").append(step.getKey()).append(": ").append(step.getValue().asText()).append('\n');
            }
        } else {
            field(out, "failover", "none in progress");
        }
        if (group.has("pending")) {
            field(out, "pending", group.path("pending").asText());
        }
        List<String[]> votes = new ArrayList<>();
        votes.add(new String[] {"REGION|VANTAGE POINT", "LAST SEEN", "BREAKERS (per target)"});
        for (Iterator<Map.Entry<String, JsonNode>> it = group.path("vantagePoints").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> vantage = it.next();
            List<String> breakers = new ArrayList<>();
            vantage.getValue().path("breakers").forEach(b -> breakers.add(b.asText()));
            votes.add(new String[] {vantage.getKey(), vantage.getValue().path("lastSeen").asText(), String.join(" ", breakers)});
        }
        section(out, "vantage points", votes.size() > 1 ? table(votes) : "");
        StringBuilder lag = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = group.path("lag").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> link = it.next();
            lag.append(link.getKey()).append("  ").append(link.getValue().asText()).append('\n');
        }
        section(out, "replication lag", lag.toString());
        StringBuilder timeline = new StringBuilder();
        group.path("timeline").forEach(line -> timeline.append(line.asText()).append('\n'));
        section(out, "recent decisions", timeline.toString());
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append("  ").append(name.length() < 11 ? String.format(Locale.ROOT, "%-11s", name) : name + " ").append(value).append('\n');
    }

    /** A titled block of lines, indented under the group; "none" when empty. */
    private static void section(StringBuilder out, String title, String lines) {
        if (lines.isEmpty()) {
            field(out, title, "none");
            return;
        }
        out.append("  ").append(title).append('\n');
        for (String line : lines.split("\n")) {
            out.append("    ").append(line).append('\n');
        }
    }

    private static String regions(JsonNode regions) {
        List<String> parts = new ArrayList<>();
        regions.fields().forEachRemaining(r -> parts.add(r.getKey() + " " + r.getValue().asText()));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String failover(JsonNode group) {
        JsonNode failover = group.path("failover");
        if (failover.isObject()) {
            return failover.path("kind").asText() + " to " + failover.path("to").asText() + ", epoch " + failover.path("epoch").asLong();
        }
        return group.has("pending") ? "pending: " + group.path("pending").asText() : "-";
    }

    private static String lower(String value) {
        return WireName.of(value);
    }

    /** Left-aligned columns, two spaces apart; the last column is not padded. */
    private static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                out.append(c == columns - 1 ? row[c] : String.format(Locale.ROOT, "%-" + (widths[c] + 2) + "s", row[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
