package io.drplane.cli;

import io.drplane.coordinator.view.GroupView;
import io.drplane.plan.DurationText;
import io.drplane.plan.WireName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The coordinator's group views ({@code GET /groups}, {@code GET /groups/{id}}) as a person reads them in a terminal:
 * a table of every group, or one group in detail. {@code drplane status --json} prints the API's JSON instead.
 */
final class StatusView {

    private StatusView() {}

    /** One line per group: mode, primary, analysis, regions by quorum, and the failover in progress or pending. */
    static String groups(List<GroupView> groups) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"GROUP", "MODE", "PRIMARY", "ANALYSIS", "REGIONS", "FAILOVER"});
        for (GroupView group : groups) {
            rows.add(new String[] {
                group.group(),
                WireName.of(group.mode()),
                orDash(group.primary()),
                group.analysis() == null ? "(no input yet)" : group.analysis(),
                regions(group.regions()),
                failover(group)
            });
        }
        return table(rows);
    }

    /** One group in detail: its state, each vantage point's votes and breakers, lag, and its recent decisions. */
    /** The live links, as "orders-db-reversed us-west-2 -> us-east-1"; "none" when nothing replicates. */
    static String replicating(List<GroupView.LinkView> links) {
        if (links == null || links.isEmpty()) {
            return "none: the primary's data has no replica";
        }
        return String.join(
                ", ",
                links.stream()
                        .map(l -> l.name() + " " + l.from() + " -> " + l.to())
                        .toList());
    }

    static String group(GroupView group) {
        StringBuilder out = new StringBuilder();
        out.append("Group ")
                .append(group.group())
                .append(" (")
                .append(WireName.of(group.strategy()))
                .append(", ")
                .append(WireName.of(group.mode()))
                .append(" mode)");
        if (group.epoch() != null) {
            out.append(", epoch ").append(group.epoch());
        }
        out.append('\n');
        field(out, "primary", orDash(group.primary()));
        if (group.analysis() == null) {
            field(out, "analysis", "none yet: the coordinator has decided no input of this group");
            return out.toString();
        }
        field(out, "analysis", group.analysis() + ": " + group.analysisDescription());
        field(out, "regions", regions(group.regions()));
        field(out, "links", replicating(group.links()));
        GroupView.ReprotectView reprotect = group.reprotect();
        if (reprotect != null) {
            field(
                    out,
                    "re-protect",
                    reprotect.id() + ": " + reprotect.replicaRegion() + " becomes a replica of " + reprotect.primary()
                            + " (" + reprotect.status()
                            + (reprotect.heldFor() == null ? "" : ", held for " + reprotect.heldFor()) + ")");
            for (GroupView.StepView step : reprotect.steps()) {
                out.append("               ")
                        .append(step.name())
                        .append(": ")
                        .append(step.status())
                        .append(" (attempt ")
                        .append(step.attempt())
                        .append(")\n");
            }
        }
        GroupView.FailoverView failover = group.failover();
        if (failover != null) {
            field(
                    out,
                    "failover",
                    failover.id() + " to " + failover.to() + " (" + failover.kind() + ", epoch " + failover.epoch()
                            + ")");
            for (GroupView.StepView step : failover.steps()) {
                out.append("               ")
                        .append(step.name())
                        .append(": ")
                        .append(step.status())
                        .append(" (attempt ")
                        .append(step.attempt())
                        .append(")\n");
            }
        } else {
            field(out, "failover", "none in progress");
        }
        if (group.pending() != null) {
            field(out, "pending", pending(group.pending()));
        }
        List<String[]> votes = new ArrayList<>();
        votes.add(new String[] {"REGION|VANTAGE POINT", "LAST SEEN", "BREAKERS (per target)"});
        orEmpty(group.vantagePoints())
                .forEach((key, vantage) ->
                        votes.add(new String[] {key, vantage.lastSeen(), String.join(" ", vantage.breakers())}));
        section(out, "vantage points", votes.size() > 1 ? table(votes) : "");
        StringBuilder lag = new StringBuilder();
        orEmpty(group.lag())
                .forEach((link, reading) ->
                        lag.append(link).append("  ").append(lag(reading)).append('\n'));
        section(out, "replication lag", lag.toString());
        StringBuilder points = new StringBuilder();
        orEmpty(group.recoveryPoints()).forEach((region, at) -> points.append(region)
                .append("  data of ")
                .append(at)
                .append(" (newest recovery point there)\n"));
        if (points.length() > 0) {
            section(out, "recovery points", points.toString());
        }
        StringBuilder clocks = new StringBuilder();
        orEmpty(group.observerClocks()).forEach((vantage, clock) -> {
            if (clock.refused()) {
                clocks.append(vantage)
                        .append("  ")
                        .append(skew(clock.skewMillis()))
                        .append(": its observations are refused\n");
            }
        });
        if (clocks.length() > 0) {
            section(out, "observer clocks", clocks.toString());
        }
        StringBuilder timeline = new StringBuilder();
        (group.timeline() == null ? List.<GroupView.DecisionView>of() : group.timeline())
                .forEach(decision -> timeline.append(decision.type())
                        .append(
                                decision.reasonCode() == null
                                        ? ""
                                        : " " + decision.reasonCode() + ": " + decision.reason())
                        .append('\n'));
        section(out, "recent decisions", timeline.toString());
        return out.toString();
    }

    /** A link's last lag as a person reads it: {@code MEASURED 300 ms at 2026-11-22T09:59:58Z}. */
    static String lag(GroupView.LinkLag reading) {
        return reading.status() + (reading.lagMillis() == null ? "" : " " + reading.lagMillis() + " ms") + " at "
                + reading.observedAt();
    }

    /** How far a clock is off, as a person reads it: {@code 1 h 0 min ahead}, {@code 30.0 s behind}. */
    static String skew(long millis) {
        return DurationText.roughly(Duration.ofMillis(Math.abs(millis))) + (millis >= 0 ? " ahead" : " behind");
    }

    static String pending(GroupView.PendingView pending) {
        return pending.kind() + " to " + pending.to()
                + (pending.heldFor() == null ? "" : ", held: " + pending.heldFor());
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append("  ")
                .append(name.length() < 11 ? String.format(Locale.ROOT, "%-11s", name) : name + " ")
                .append(value)
                .append('\n');
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

    private static String regions(Map<String, String> regions) {
        List<String> parts = new ArrayList<>();
        orEmpty(regions).forEach((region, health) -> parts.add(region + " " + health));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String failover(GroupView group) {
        if (group.failover() != null) {
            return group.failover().kind() + " to " + group.failover().to() + ", epoch "
                    + group.failover().epoch();
        }
        return group.pending() != null ? "pending: " + pending(group.pending()) : "-";
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> map) {
        return map == null ? Map.of() : map;
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
                out.append(
                        c == columns - 1 ? row[c] : String.format(Locale.ROOT, "%-" + (widths[c] + 2) + "s", row[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
