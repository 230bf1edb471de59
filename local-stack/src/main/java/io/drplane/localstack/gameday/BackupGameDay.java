package io.drplane.localstack.gameday;

import io.drplane.events.BackupJobMissed;
import io.drplane.events.BackupRestoreTested;
import io.drplane.events.Event;
import io.drplane.events.GroupEvent;
import io.drplane.events.NotificationDelivered;
import io.drplane.events.ReasonCode;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.events.RpoScope;
import io.drplane.plan.DurationText;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The backup game days, followed on {@code dr.backup.v1} and {@code dr.notifications.v1}:
 *
 * <ul>
 *   <li>{@code backup-missed}: AWS throttles every call of the backup scheduler. Its retries run out, the next run's
 *       start window closes ({@code backup.job-missed}, {@code BACKUP_WINDOW_MISSED}), the newest recovery point ages
 *       past the rule's RPO ({@code rpo.breached}) and the on-call is told. Then AWS answers again, and the game day
 *       waits for the next run to bring the RPO back ({@code rpo.restored}).
 *   <li>{@code restore-test}: the next scheduled restore test restores the newest copy in the DR region and reports
 *       its time against the RTO ({@code backup.restore-tested}).
 * </ul>
 *
 * On the local stack the scheduler runs on a compressed clock (a day in a minute), so either takes a minute or two.
 */
final class BackupGameDay {

    private final String group;
    private final FaultInjector control;
    private final Supplier<Optional<Event<?>>> nextEvent;
    private final Duration timeout;
    private final boolean keep;
    private final boolean awaitRecovery;

    /** {@code nextEvent}: the next event on the followed topics, empty after a short wait with none. */
    BackupGameDay(
            String group,
            FaultInjector control,
            Supplier<Optional<Event<?>>> nextEvent,
            Duration timeout,
            boolean keep,
            boolean awaitRecovery) {
        this.group = group;
        this.control = control;
        this.nextEvent = nextEvent;
        this.timeout = timeout;
        this.keep = keep;
        this.awaitRecovery = awaitRecovery;
    }

    int run(Scenario scenario, PrintWriter out) {
        out.printf(
                "Game day %s on %s: %s.%n  expected: %s.%n",
                scenario.cliName(),
                group,
                scenario.description(),
                scenario.expect().text());
        out.flush();
        Timeline timeline = new Timeline(group, "");
        return switch (scenario) {
            case BACKUP_MISSED -> missed(timeline, out);
            case RESTORE_TEST -> restoreTest(timeline, out);
            default -> throw new IllegalArgumentException(scenario.cliName() + " is not a backup game day");
        };
    }

    private int missed(Timeline timeline, PrintWriter out) {
        Instant injected = Instant.now();
        control.throttleBackups(true);
        timeline.start(injected, "AWS throttles every call of the backup scheduler", out);
        BackupJobMissed[] missed = {null};
        RpoBreached[] breached = {null};
        NotificationDelivered[] told = {null};
        Set<String> breachedNames = new LinkedHashSet<>();
        follow(timeline, out, injected.plus(timeout), data -> {
            if (data instanceof BackupJobMissed m
                    && m.reason().code() == ReasonCode.BACKUP_WINDOW_MISSED
                    && missed[0] == null) {
                missed[0] = m;
            } else if (data instanceof RpoBreached b && b.scope() == RpoScope.BACKUP_RULE) {
                breachedNames.add(b.name());
                if (breached[0] == null) {
                    breached[0] = b;
                }
            } else if (data instanceof NotificationDelivered n
                    && n.alertKey().startsWith("rpo/" + group + "/" + RpoScope.BACKUP_RULE.name())
                    && told[0] == null) {
                told[0] = n;
            }
            return missed[0] != null && breached[0] != null && told[0] != null;
        });
        long throttledCalls = control instanceof SimControl sim ? sim.throttledBackupCalls() : -1;
        Instant healed = null;
        Set<String> restored = new LinkedHashSet<>();
        if (!keep) {
            control.throttleBackups(false);
        }
        boolean waits = !keep && awaitRecovery;
        if (waits && !breachedNames.isEmpty()) {
            healed = Instant.now();
            out.printf(
                    "%8s  AWS answers the backup scheduler again; waiting for the next run to bring the RPO back ...%n",
                    offset(injected, healed));
            out.flush();
            follow(timeline, out, healed.plus(timeout), data -> {
                if (data instanceof RpoRestored r && r.scope() == RpoScope.BACKUP_RULE) {
                    restored.add(r.name());
                }
                return !breachedNames.isEmpty() && restored.containsAll(breachedNames);
            });
        }

        boolean passed = missed[0] != null && breached[0] != null && told[0] != null;
        boolean recovered = !waits || (!breachedNames.isEmpty() && restored.containsAll(breachedNames));
        out.println();
        out.printf(
                "Outcome: %s (expected %s):%s%s%s%s.%n",
                passed && recovered ? "PASS" : "FAIL",
                Scenario.BACKUP_MISSED.expect().text(),
                missed[0] == null
                        ? " no run was reported missed"
                        : " " + missed[0].rule() + " missed ("
                                + missed[0].reason().code() + ")",
                breached[0] == null ? ", the RPO was never reported breached" : ", RPO breached on " + breachedNames,
                told[0] == null
                        ? ", nobody was told"
                        : ", told through " + told[0].route() + " ("
                                + told[0].channel().name().toLowerCase(Locale.ROOT) + ")",
                !waits ? "" : recovered ? ", RPO met again on " + restored : ", the RPO was not met again in time");
        if (throttledCalls >= 0) {
            out.printf("AWS throttled %d call(s) of the backup scheduler so far.%n", throttledCalls);
        }
        if (breached[0] != null && missed[0] != null) {
            out.printf(
                    "Time from the missed run's start window closing to the RPO breach: %s; the RPO on the compressed"
                            + " clock: %s.%n",
                    DurationText.of(Duration.between(missed[0].windowClosedAt(), breached[0].observedAt())
                            .abs()),
                    DurationText.of(Duration.ofMillis(breached[0].rpoMillis())));
        }
        out.printf(
                "Notifications during the game day: %d sent, %d failed (`drplane notifications` lists them).%n",
                timeline.notificationsSent(), timeline.notificationsFailed());
        out.println(
                keep
                        ? "AWS still throttles the backup scheduler (--keep)."
                        : awaitRecovery
                                ? "AWS no longer throttles it."
                                : "AWS no longer throttles it; the next run brings the RPO back (--no-recovery: not"
                                        + " waited for).");
        out.flush();
        return passed && recovered ? 0 : 1;
    }

    private int restoreTest(Timeline timeline, PrintWriter out) {
        Instant started = Instant.now();
        control.throttleBackups(false);
        timeline.start(started, "waiting for the next scheduled restore test", out);
        BackupRestoreTested[] tested = {null};
        follow(timeline, out, started.plus(timeout), data -> {
            if (data instanceof BackupRestoreTested t) {
                tested[0] = t;
            }
            return tested[0] != null;
        });
        out.println();
        BackupRestoreTested t = tested[0];
        if (t == null) {
            out.printf(
                    "Outcome: FAIL (expected %s): no restore test ran within %s.%n",
                    Scenario.RESTORE_TEST.expect().text(), DurationText.of(timeout));
            out.flush();
            return 1;
        }
        boolean passed = t.reason().code() == ReasonCode.RESTORE_TEST_PASSED;
        out.printf(
                "Outcome: %s (expected %s): %s: %s%n",
                passed ? "PASS" : "FAIL",
                Scenario.RESTORE_TEST.expect().text(),
                t.reason().code(),
                t.reason().message());
        out.printf(
                "Restore time: %s against the RTO of %s, in %s, of %s (validated: %s).%n",
                t.restoreMillis() == null ? "never available" : String.format("%.1f s", t.restoreMillis() / 1000.0),
                DurationText.of(Duration.ofMillis(t.rtoMillis())),
                t.region(),
                t.recoveryPointArn(),
                t.validated() ? "yes" : "no");
        out.flush();
        return passed ? 0 : 1;
    }

    /** Prints the group's events as they come until {@code done} says so or the deadline passes. */
    private void follow(Timeline timeline, PrintWriter out, Instant deadline, Function<GroupEvent, Boolean> done) {
        new GroupEventFeed(group, nextEvent).until(timeline, out, deadline, done::apply);
    }

    private static String offset(Instant from, Instant at) {
        return String.format("+%.1fs", Duration.between(from, at).toMillis() / 1000.0);
    }
}
