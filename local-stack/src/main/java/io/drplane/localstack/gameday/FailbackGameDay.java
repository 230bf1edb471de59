package io.drplane.localstack.gameday;

import io.drplane.coordinator.view.GroupView;
import io.drplane.events.Event;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.GroupEvent;
import io.drplane.events.GroupReprotected;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReprotectHeld;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole loop after a regional outage, on the group as it is: the plan's primary region goes dark and the group
 * fails over; the region comes back and re-protect makes it a replica of the new primary; a person asks for the
 * failback ({@code drplane failback}); the planned switchover waits for zero lag and moves the group home; re-protect
 * runs the other way; the group is ALL_HEALTHY on the plan's topology. A group that already runs away from home
 * (after a region-outage game day, say) starts at re-protect. Its figures: time to re-protect after the old region is
 * up (goal {@value #REPROTECT_GOAL_SECONDS} s on the local stack) and the failback's RPO (goal 0).
 */
final class FailbackGameDay {

    static final int REPROTECT_GOAL_SECONDS = 60;
    private static final Pattern REPROTECT_FIGURE = Pattern.compile("re-protected (\\d+) ms after");

    private final String group;
    private final FaultInjector control;
    private final GroupEventFeed events;
    private final Supplier<GroupView> view;
    private final Supplier<Integer> askForFailback;
    private final Duration timeout;

    /**
     * @param askForFailback what {@code drplane failback GROUP} does: the API's answer's HTTP status
     * @param timeout        the longest each phase may take
     */
    FailbackGameDay(
            String group,
            FaultInjector control,
            Supplier<Optional<Event<?>>> nextEvent,
            Supplier<GroupView> view,
            Supplier<Integer> askForFailback,
            Duration timeout) {
        this.group = group;
        this.control = control;
        this.events = new GroupEventFeed(group, nextEvent);
        this.view = view;
        this.askForFailback = askForFailback;
        this.timeout = timeout;
    }

    int run(GroupView before, PrintWriter out) {
        String home = before.home();
        String away = before.regions().keySet().stream()
                .filter(r -> !r.equals(home))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(group + " has one region: nowhere to fail over"));
        out.printf(
                "Game day failback on %s: %s.%n  home (the plan's primary) %s, standby %s; expected: %s.%n",
                group,
                Scenario.FAILBACK.description(),
                home,
                away,
                Scenario.FAILBACK.expect().text());
        out.flush();
        Timeline timeline = new Timeline(group, home);
        Instant started = Instant.now();
        String failure = null;
        Long reprotectMillis = null;
        FailoverCompleted failback = null;
        Long reprotectBackMillis = null;

        if (before.primary().equals(home)) {
            control.dark(home, true);
            timeline.start(started, "the primary region " + home + " goes dark", out);
            FailoverCompleted[] out1 = {null};
            String failed = follow(timeline, out, data -> {
                if (data instanceof FailoverCompleted c && c.toRegion().equals(away)) {
                    out1[0] = c;
                }
                return out1[0] != null;
            });
            control.healRegions();
            say(out, started, home + " is lit again; re-protect starts once it is UP by quorum");
            if (out1[0] == null) {
                failure = "no failover to " + away + (failed == null ? "" : ": " + failed);
            }
        } else {
            timeline.start(started, group + " already runs on " + before.primary() + ", away from home", out);
            control.healRegions();
        }

        if (failure == null) {
            GroupReprotected[] done = {null};
            String failed = follow(timeline, out, data -> {
                if (data instanceof GroupReprotected r && r.replicaRegion().equals(home)) {
                    done[0] = r;
                }
                return done[0] != null;
            });
            if (done[0] != null) {
                reprotectMillis = done[0].timeToReprotectMillis();
            } else {
                reprotectMillis = reprotectedBefore(home);
                if (reprotectMillis == null) {
                    failure = home + " was not re-protected" + (failed == null ? "" : ": " + failed);
                } else {
                    say(out, started, home + " was re-protected before the game day began");
                }
            }
        }

        if (failure == null) {
            int status = askForFailback.get();
            say(
                    out,
                    started,
                    "the game day asks for the failback, as `drplane failback " + group + "` does: HTTP " + status);
            FailoverCompleted[] back = {null};
            String failed = follow(timeline, out, data -> {
                if (data instanceof FailoverCompleted c && c.toRegion().equals(home)) {
                    back[0] = c;
                }
                return back[0] != null;
            });
            failback = back[0];
            if (status != 202 || failback == null) {
                failure = "the failback did not complete (HTTP " + status + ")" + (failed == null ? "" : ": " + failed);
            }
        }

        if (failure == null) {
            GroupReprotected[] done = {null};
            String failed = follow(timeline, out, data -> {
                if (data instanceof GroupReprotected r && r.replicaRegion().equals(away)) {
                    done[0] = r;
                }
                return done[0] != null;
            });
            if (done[0] == null) {
                failure = away + " was not re-protected after the failback" + (failed == null ? "" : ": " + failed);
            } else {
                reprotectBackMillis = done[0].timeToReprotectMillis();
            }
        }

        GroupView after = awaitHealthyAtHome(home);
        if (failure == null && after == null) {
            failure =
                    group + " is not ALL_HEALTHY on " + home + " (" + view.get().analysis() + ")";
        }
        boolean reprotectInTime = reprotectMillis != null && reprotectMillis <= REPROTECT_GOAL_SECONDS * 1000L;
        boolean lossless = failback != null && failback.rpoMillis() != null && failback.rpoMillis() == 0;
        boolean passed = failure == null && reprotectInTime && lossless;
        out.println();
        out.printf(
                "Outcome: %s (expected %s): %s%n",
                passed ? "PASS" : "FAIL",
                Scenario.FAILBACK.expect().text(),
                failure != null
                        ? failure
                        : "failed over to " + away + ", re-protected, failed back to " + home
                                + ", re-protected; ALL_HEALTHY on " + home + " with " + links(after) + ".");
        out.printf(
                "Time to re-protect after %s was up: %s (goal %d s)%n",
                home,
                reprotectMillis == null ? "never" : String.format("%.1f s", reprotectMillis / 1000.0),
                REPROTECT_GOAL_SECONDS);
        out.printf(
                "Failback RPO (replication lag when %s was promoted): %s (goal 0)%n",
                home, failback == null || failback.rpoMillis() == null ? "unknown" : failback.rpoMillis() + " ms");
        out.printf(
                "Failback RTO (request to verified): %s%n",
                failback == null ? "-" : String.format("%.1f s", failback.rtoMillis() / 1000.0));
        out.printf(
                "Time to re-protect %s after the failback: %s%n",
                away, reprotectBackMillis == null ? "never" : String.format("%.1f s", reprotectBackMillis / 1000.0));
        out.flush();
        return passed ? 0 : 1;
    }

    /** The coordinator's own figure, from its recent decisions, when re-protect finished before the game day. */
    private Long reprotectedBefore(String home) {
        GroupView now = view.get();
        if (now.reprotect() != null || now.links().stream().noneMatch(l -> l.to().equals(home))) {
            return null;
        }
        for (int i = now.timeline().size() - 1; i >= 0; i--) {
            GroupView.DecisionView decision = now.timeline().get(i);
            if ("group.reprotected".equals(decision.type()) && decision.reason() != null) {
                Matcher m = REPROTECT_FIGURE.matcher(decision.reason());
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        return null;
    }

    private GroupView awaitHealthyAtHome(String home) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            GroupView now = view.get();
            if ("ALL_HEALTHY".equals(now.analysis()) && home.equals(now.primary()) && now.reprotect() == null) {
                return now;
            }
            events.drain(); // waits a little
        }
        return null;
    }

    private static String links(GroupView view) {
        return view == null || view.links().isEmpty()
                ? "no replica"
                : String.join(
                        ", ",
                        view.links().stream()
                                .map(l -> l.from() + " -> " + l.to())
                                .toList());
    }

    /**
     * Prints the group's events until {@code done} says so; returns why it stopped early (a failover or a re-protect
     * step that failed for good, or the phase's timeout), null when done.
     */
    private String follow(Timeline timeline, PrintWriter out, Function<GroupEvent, Boolean> done) {
        boolean[] finished = {false};
        Optional<GroupEvent> stopped = events.until(timeline, out, Instant.now().plus(timeout), data -> {
            finished[0] = done.apply(data);
            return finished[0] || failure(data) != null;
        });
        if (stopped.isEmpty()) {
            return "not within " + timeout.toSeconds() + " s";
        }
        return finished[0] ? null : failure(stopped.get());
    }

    /** Why the loop cannot go on: a failover or a re-protect step that failed for good; null otherwise. */
    private static String failure(GroupEvent data) {
        if (data instanceof FailoverFailed f) {
            return "failover " + f.failoverId() + " failed: " + f.reason().message();
        }
        if (data instanceof ReprotectHeld h && h.reason().code() == ReasonCode.REPROTECT_STEP_FAILED) {
            return "re-protect held: " + h.reason().message();
        }
        return null;
    }

    private static void say(PrintWriter out, Instant from, String what) {
        out.printf(
                "%8s  %s%n",
                String.format("+%.1fs", Duration.between(from, Instant.now()).toMillis() / 1000.0), what);
        out.flush();
    }
}
