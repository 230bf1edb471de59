package io.drplane.localstack.gameday;

import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.BackupJobStarted;
import io.drplane.events.BreakerTransitioned;
import io.drplane.events.Command;
import io.drplane.events.CommandFailed;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandResult;
import io.drplane.events.Event;
import io.drplane.events.EventType;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverStarted;
import io.drplane.events.GroupEvent;
import io.drplane.events.HealthObserved;
import io.drplane.events.NotificationDelivered;
import io.drplane.events.NotificationFailed;
import io.drplane.events.Reason;
import io.drplane.events.RegionHealth;
import io.drplane.events.RegionStateChanged;
import io.drplane.plan.DurationText;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What happened to one group after a failure was injected, printed as it arrives, and the game day's figures. */
final class Timeline {

    private static final Duration SUMMARY_EVERY = Duration.ofSeconds(5);

    private final String group;
    private final String primary;
    private Instant injected;
    private Instant lastSummary;
    private final Map<String, Map<String, Integer>> observations = new TreeMap<>();
    private Duration detection;
    private int failoversStarted;
    private FailoverCompleted completed;
    private FailoverFailed failed;
    private FailoverHeld held;
    private final List<String> reasonCodes = new ArrayList<>();
    private int notificationsSent;
    private int notificationsFailed;

    Timeline(String group, String primary) {
        this.group = group;
        this.primary = primary;
    }

    void start(Instant at, PrintWriter out) {
        start(at, "the failure is injected", out);
    }

    /** Starts the clock at {@code at}, saying what happened then. */
    void start(Instant at, String what, PrintWriter out) {
        injected = at;
        lastSummary = at;
        out.printf("%n%8s  %s%n", "+0.0s", what);
        out.flush();
    }

    void add(Event<?> event, PrintWriter out) {
        if (!(event.data() instanceof GroupEvent data) || !data.group().equals(group)) {
            return;
        }
        if (data instanceof HealthObserved h) {
            observations
                    .computeIfAbsent(h.region(), r -> new TreeMap<>())
                    .merge(h.outcome().name(), 1, Integer::sum);
            return;
        }
        String line = describe(data);
        if (line == null) {
            return;
        }
        out.printf("%8s  %s%n", offset(event.time()), line);
        out.flush();
        if (data instanceof RegionStateChanged r
                && r.region().equals(primary)
                && r.to() == RegionHealth.DOWN
                && detection == null) {
            detection = Duration.between(injected, r.at());
        } else if (data instanceof FailoverStarted) {
            failoversStarted++;
        } else if (data instanceof FailoverCompleted c) {
            completed = c;
        } else if (data instanceof FailoverFailed f) {
            failed = f;
        } else if (data instanceof FailoverHeld h && held == null) {
            held = h;
        }
    }

    private String describe(GroupEvent data) {
        String type = EventType.of(data.getClass()).shortName();
        if (data instanceof NotificationDelivered n) {
            notificationsSent++;
            return type + " " + n.route() + " (" + n.channel().name().toLowerCase(Locale.ROOT) + "): " + n.status()
                    + " " + n.alertKey();
        }
        if (data instanceof NotificationFailed n) {
            notificationsFailed++;
            return type + " " + n.route() + " (" + n.channel().name().toLowerCase(Locale.ROOT) + "): "
                    + n.reason().code() + ": " + n.error();
        }
        if (data instanceof BackupJobStarted s) {
            return type + " " + s.rule() + " in " + s.region() + " (due " + s.scheduledFor() + ")";
        }
        if (data instanceof BackupJobCompleted c) {
            return type + " " + c.rule() + " in " + c.region() + ": " + c.recoveryPointArn();
        }
        if (data instanceof BackupCopyCompleted c) {
            return type + " " + c.rule() + " to " + c.destinationRegion() + ": " + c.destinationRecoveryPointArn();
        }
        if (data instanceof BreakerTransitioned b) {
            return type + " " + b.region() + "/" + b.target() + " from " + b.vantage() + ": " + b.from() + " -> "
                    + b.to() + " (" + b.reason().code() + ")";
        }
        if (data instanceof Command c) {
            return type + " to " + c.region() + " (epoch " + c.epoch() + ")";
        }
        if (data instanceof CommandResult r) {
            String what = r instanceof CommandFailed f
                    ? " " + f.errorCode()
                    : r instanceof CommandRejected ? " rejected" : "";
            return type + " " + r.commandType().shortName().replaceFirst("^command\\.", "") + " in " + r.region() + what
                    + ": " + r.reason().code() + ": " + r.reason().message();
        }
        try {
            Object reason = data.getClass().getMethod("reason").invoke(data);
            if (reason instanceof Reason r) {
                reasonCodes.add(r.code().name());
                return type + " " + r.code() + ": " + r.message();
            }
        } catch (ReflectiveOperationException e) {
            // an event without a reason
        }
        return type;
    }

    void analysis(String from, String to, String description, PrintWriter out) {
        out.printf("%8s  analysis %s -> %s: %s%n", offset(Instant.now()), from, to, description);
        out.flush();
    }

    /** Prints the observations of the last few seconds, per region and outcome. */
    void tick(PrintWriter out) {
        Instant now = Instant.now();
        if (Duration.between(lastSummary, now).compareTo(SUMMARY_EVERY) < 0) {
            return;
        }
        if (!observations.isEmpty()) {
            List<String> parts = new ArrayList<>();
            observations.forEach((region, outcomes) -> parts.add(region + " "
                    + outcomes.entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey())
                            .reduce((a, b) -> a + ", " + b)
                            .orElse("")));
            out.printf(
                    "%8s  observations in the last %ds: %s%n",
                    offset(now), SUMMARY_EVERY.toSeconds(), String.join("; ", parts));
            out.flush();
        }
        observations.clear();
        lastSummary = now;
    }

    boolean finished(Scenario.Expect expect) {
        return switch (expect) {
                // a failover held for anything but approval (cooldown, rate limit, lag) will not happen in this game
                // day
            case FAILOVER -> completed != null
                    || failed != null
                    || (held != null
                            && !"APPROVAL_REQUIRED".equals(held.reason().code().name()));
            case HELD -> held != null
                    && !"APPROVAL_REQUIRED".equals(held.reason().code().name());
            case NO_FAILOVER, AT_MOST_ONE_FAILOVER, BACKUP_MISSED, RESTORE_TESTED, FAILED_BACK -> false;
        };
    }

    Optional<FailoverHeld> held() {
        return Optional.ofNullable(held);
    }

    /** Prints the outcome and the figures; true when the outcome is the expected one. */
    boolean report(Scenario scenario, PrintWriter out, Duration detectionGoal, boolean kept) {
        boolean passed =
                switch (scenario.expect()) {
                    case FAILOVER -> completed != null && failed == null;
                    case NO_FAILOVER -> failoversStarted == 0;
                    case AT_MOST_ONE_FAILOVER -> failoversStarted <= 1;
                    case HELD -> held != null && failoversStarted == 0;
                    case BACKUP_MISSED, RESTORE_TESTED, FAILED_BACK -> throw new IllegalArgumentException(
                            "a backup or failback game day reports itself (BackupGameDay, FailbackGameDay)");
                };
        out.println();
        out.printf(
                "Outcome: %s (expected %s): %d failover(s) started%s%s.%n",
                passed ? "PASS" : "FAIL",
                scenario.expect().text(),
                failoversStarted,
                completed != null ? ", completed to " + completed.toRegion() : "",
                held != null
                        ? ", held: " + held.reason().code()
                        : failed != null ? ", failed: " + failed.reason().code() : "");
        if (held != null && !passed) {
            out.printf(
                    "Held because %s What a person can do: %s%n", held.reason().message(), held.remedy());
        }
        out.printf(
                "Notifications during the game day: %d sent, %d failed (`drplane notifications` lists them).%n",
                notificationsSent, notificationsFailed);
        if (detection != null) {
            out.printf(
                    "Detection (failure to quorum-confirmed DOWN): %.1f s (goal under %d s).%n",
                    detection.toMillis() / 1000.0, detectionGoal.toSeconds());
        } else {
            out.println("Detection: the primary was never confirmed DOWN by a quorum.");
        }
        if (completed != null) {
            out.printf(
                    "RTO (as the coordinator measures it, detection to verified): %.1f s of %s; failure to verified: %.1f s.%n",
                    completed.rtoMillis() / 1000.0,
                    DurationText.of(Duration.ofMillis(completed.rtoTargetMillis())),
                    Duration.between(injected, completed.at()).toMillis() / 1000.0);
            out.printf(
                    "RPO (replication lag when the replica was promoted): %s of %s.%n",
                    completed.rpoMillis() == null ? "unknown" : String.format("%.1f s", completed.rpoMillis() / 1000.0),
                    DurationText.of(Duration.ofMillis(completed.rpoTargetMillis())));
        }
        out.println(
                kept
                        ? "The failure was left in place (--keep)."
                        : "The simulation was healed (every instance OK, lag 0)"
                                + (completed != null
                                        ? "; " + completed.toRegion() + " stays primary. " + completed.fromRegion()
                                                + " is re-protected once it is UP by quorum; then `drplane failback "
                                                + group + "` brings the group home (or `./drplane gameday failback`)."
                                        : "."));
        out.flush();
        return passed;
    }

    int notificationsSent() {
        return notificationsSent;
    }

    int notificationsFailed() {
        return notificationsFailed;
    }

    List<String> reasonCodes() {
        return List.copyOf(reasonCodes);
    }

    private String offset(Instant at) {
        return String.format("+%.1fs", Duration.between(injected, at).toMillis() / 1000.0);
    }
}
