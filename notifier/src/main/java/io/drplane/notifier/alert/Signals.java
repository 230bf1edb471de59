package io.drplane.notifier.alert;

import io.drplane.events.AlertSeverity;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupCopyFailed;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.BackupJobFailed;
import io.drplane.events.BackupJobMissed;
import io.drplane.events.BackupRestoreTested;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.FailoverAborted;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverStarted;
import io.drplane.events.GroupReprotected;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.events.RegionStateChanged;
import io.drplane.events.ReprotectHeld;
import io.drplane.events.ReprotectStarted;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.events.RpoScope;
import io.drplane.plan.DurationText;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads alerts out of events: which alert an event fires or resolves, and how urgent it is. Pure.
 *
 * <p>Keys are stable so that an alert's notifications thread together: a group's failover ({@code failover/GROUP}: held,
 * started, failed and aborted fire it; completed resolves it, and so does the from-region coming back UP while the
 * failover is only held), a region ({@code region/GROUP/REGION}: DOWN fires, UP resolves), an RPO
 * ({@code rpo/GROUP/SCOPE/NAME}), a backup rule in a region ({@code backup/GROUP/RULE/REGION}: failed or missed fires,
 * the next completed job resolves), a copy ({@code copy/GROUP/RULE/REGION}: failed fires, the next completed copy
 * resolves), a restore test ({@code restore-test/GROUP/RULE/REGION}: failed or slower than the RTO fires, a passing
 * one resolves) and re-protect after a failover ({@code reprotect/GROUP}: started, held for approval or on a failed step
 * fire it; {@code group.reprotected} resolves it, the group protected again).
 */
public final class Signals {

    private Signals() {}

    /** The alert signals of {@code event}; none for events that are no alert (ticks, breaker moves, step progress). */
    public static List<Signal> of(Event<?> event) {
        EventData data = event.data();
        if (data instanceof FailoverHeld held) {
            return List.of(fire(
                    "failover/" + held.group(),
                    AlertSeverity.CRITICAL,
                    held.group() + ": failover " + held.fromRegion() + " → " + held.toRegion()
                            + " held, a person must decide",
                    held.reason(),
                    details(held.group(), held.fromRegion(), held.toRegion(), "remedy", held.remedy()),
                    event));
        }
        if (data instanceof FailoverStarted started) {
            return List.of(fire(
                    "failover/" + started.group(),
                    AlertSeverity.WARNING,
                    started.group() + ": failing over " + started.fromRegion() + " → " + started.toRegion() + " (epoch "
                            + started.epoch() + ")",
                    started.reason(),
                    details(
                            started.group(),
                            started.fromRegion(),
                            started.toRegion(),
                            "epoch",
                            String.valueOf(started.epoch())),
                    event));
        }
        if (data instanceof FailoverFailed failed) {
            return List.of(fire(
                    "failover/" + failed.group(),
                    AlertSeverity.CRITICAL,
                    failed.group() + ": failover failed at step " + failed.failedStep() + " (epoch " + failed.epoch()
                            + ")",
                    failed.reason(),
                    details(failed.group(), null, null, "epoch", String.valueOf(failed.epoch())),
                    event));
        }
        if (data instanceof FailoverAborted aborted) {
            return List.of(fire(
                    "failover/" + aborted.group(),
                    AlertSeverity.CRITICAL,
                    aborted.group() + ": failover aborted by " + aborted.principal() + " (epoch " + aborted.epoch()
                            + ")",
                    aborted.reason(),
                    details(aborted.group(), null, null, "epoch", String.valueOf(aborted.epoch())),
                    event));
        }
        if (data instanceof FailoverCompleted completed) {
            Map<String, String> details = details(
                    completed.group(),
                    completed.fromRegion(),
                    completed.toRegion(),
                    "epoch",
                    String.valueOf(completed.epoch()));
            details.put(
                    "RTO", millis(completed.rtoMillis()) + " (objective " + millis(completed.rtoTargetMillis()) + ")");
            details.put(
                    "RPO",
                    (completed.rpoMillis() == null ? "not measured" : millis(completed.rpoMillis())) + " (objective "
                            + millis(completed.rpoTargetMillis()) + ")");
            return List.of(resolve(
                    "failover/" + completed.group(),
                    completed.group() + ": failover to " + completed.toRegion() + " completed in "
                            + millis(completed.rtoMillis()),
                    completed.reason(),
                    details,
                    event));
        }
        if (data instanceof RegionStateChanged changed) {
            return region(changed, event);
        }
        if (data instanceof ReprotectStarted started) {
            return List.of(fire(
                    "reprotect/" + started.group(),
                    AlertSeverity.WARNING,
                    started.group() + ": re-protecting, " + started.newPrimary() + " has no replica until "
                            + started.oldPrimary() + " is one again",
                    started.reason(),
                    details(
                            started.group(),
                            started.newPrimary(),
                            started.oldPrimary(),
                            "epoch",
                            String.valueOf(started.epoch())),
                    event));
        }
        if (data instanceof ReprotectHeld held && held.reason().code() != ReasonCode.REPROTECT_WAITING_FOR_REGION) {
            // waiting for the old region is what the region's own alert says; a hold a person must lift is news
            boolean failed = held.reason().code() == ReasonCode.REPROTECT_STEP_FAILED;
            return List.of(fire(
                    "reprotect/" + held.group(),
                    failed ? AlertSeverity.ERROR : AlertSeverity.WARNING,
                    held.group() + ": re-protect of " + held.oldPrimary() + " held"
                            + (failed ? ", a step failed: a person must act" : ", a person must approve it"),
                    held.reason(),
                    details(held.group(), held.newPrimary(), held.oldPrimary(), "remedy", held.remedy()),
                    event));
        }
        if (data instanceof GroupReprotected done) {
            Map<String, String> details =
                    details(done.group(), done.primary(), done.replicaRegion(), "link", done.link());
            details.put("time to re-protect", millis(done.timeToReprotectMillis()));
            return List.of(resolve(
                    "reprotect/" + done.group(),
                    done.group() + ": protected again, " + done.replicaRegion() + " replicates from " + done.primary(),
                    done.reason(),
                    details,
                    event));
        }
        if (data instanceof RpoBreached breached) {
            return List.of(fire(
                    rpoKey(breached.group(), breached.scope(), breached.name()),
                    AlertSeverity.ERROR,
                    breached.group() + ": RPO breached on " + breached.name() + " (" + millis(breached.observedMillis())
                            + " against " + millis(breached.rpoMillis()) + ")",
                    breached.reason(),
                    rpo(breached.group(), breached.name(), breached.rpoMillis(), breached.observedMillis()),
                    event));
        }
        if (data instanceof RpoRestored restored) {
            return List.of(resolve(
                    rpoKey(restored.group(), restored.scope(), restored.name()),
                    restored.group() + ": RPO met again on " + restored.name() + " ("
                            + millis(restored.observedMillis()) + " against " + millis(restored.rpoMillis()) + ")",
                    restored.reason(),
                    rpo(restored.group(), restored.name(), restored.rpoMillis(), restored.observedMillis()),
                    event));
        }
        if (data instanceof BackupJobFailed failed) {
            return List.of(new Signal(
                    backupKey(failed.group(), failed.rule(), failed.region()),
                    Signal.Kind.FIRE,
                    AlertSeverity.ERROR,
                    failed.group() + ": backup " + failed.rule() + " failed in " + failed.region(),
                    failed.errorCode(),
                    failed.message(),
                    details(failed.group(), failed.region(), null, "rule", failed.rule()),
                    event,
                    false));
        }
        if (data instanceof BackupJobMissed missed) {
            return List.of(fire(
                    backupKey(missed.group(), missed.rule(), missed.region()),
                    AlertSeverity.WARNING,
                    missed.group() + ": backup " + missed.rule() + " missed its window in " + missed.region(),
                    missed.reason(),
                    details(missed.group(), missed.region(), null, "rule", missed.rule()),
                    event));
        }
        if (data instanceof BackupJobCompleted completed) {
            return List.of(new Signal(
                    backupKey(completed.group(), completed.rule(), completed.region()),
                    Signal.Kind.RESOLVE,
                    AlertSeverity.INFO,
                    completed.group() + ": backup " + completed.rule() + " completed in " + completed.region(),
                    "",
                    "recovery point " + completed.recoveryPointArn(),
                    details(completed.group(), completed.region(), null, "rule", completed.rule()),
                    event,
                    false));
        }
        if (data instanceof BackupCopyFailed failed) {
            return List.of(new Signal(
                    "copy/" + failed.group() + "/" + failed.rule() + "/" + failed.destinationRegion(),
                    Signal.Kind.FIRE,
                    AlertSeverity.ERROR,
                    failed.group() + ": copy of " + failed.rule() + " to " + failed.destinationRegion()
                            + " failed; its recovery points there are going stale",
                    failed.errorCode(),
                    failed.message(),
                    details(failed.group(), failed.sourceRegion(), failed.destinationRegion(), "rule", failed.rule()),
                    event,
                    false));
        }
        if (data instanceof BackupRestoreTested tested) {
            return List.of(restoreTest(tested, event));
        }
        if (data instanceof BackupCopyCompleted copied) {
            return List.of(new Signal(
                    "copy/" + copied.group() + "/" + copied.rule() + "/" + copied.destinationRegion(),
                    Signal.Kind.RESOLVE,
                    AlertSeverity.INFO,
                    copied.group() + ": copy of " + copied.rule() + " to " + copied.destinationRegion() + " completed",
                    "",
                    "recovery point " + copied.destinationRecoveryPointArn(),
                    details(copied.group(), copied.sourceRegion(), copied.destinationRegion(), "rule", copied.rule()),
                    event,
                    false));
        }
        return List.of();
    }

    /** A restore test that failed (error) or was slower than the RTO (warning) fires; a passing one resolves. */
    private static Signal restoreTest(BackupRestoreTested tested, Event<?> event) {
        String key = "restore-test/" + tested.group() + "/" + tested.rule() + "/" + tested.region();
        Map<String, String> details = details(tested.group(), tested.region(), null, "rule", tested.rule());
        details.put(
                "restore time",
                (tested.restoreMillis() == null ? "did not finish" : millis(tested.restoreMillis())) + " (RTO "
                        + millis(tested.rtoMillis()) + ")");
        details.put("validated", tested.validated() ? "yes" : "no");
        ReasonCode code = tested.reason().code();
        if (code == ReasonCode.RESTORE_TEST_PASSED) {
            return resolve(
                    key,
                    tested.group() + ": restore test of " + tested.rule() + " in " + tested.region() + " passed",
                    tested.reason(),
                    details,
                    event);
        }
        boolean failed = code == ReasonCode.RESTORE_TEST_FAILED;
        return fire(
                key,
                failed ? AlertSeverity.ERROR : AlertSeverity.WARNING,
                tested.group() + ": restore test of " + tested.rule() + " in " + tested.region()
                        + (failed ? " failed" : " slower than the RTO"),
                tested.reason(),
                details,
                event);
    }

    private static List<Signal> region(RegionStateChanged changed, Event<?> event) {
        String key = "region/" + changed.group() + "/" + changed.region();
        Map<String, String> details = details(
                changed.group(),
                changed.region(),
                null,
                "votes",
                changed.votesDown() + " down, " + changed.votesUp() + " up of " + changed.freshVantages()
                        + " fresh (quorum " + changed.quorum() + ")");
        if (changed.to() == RegionHealth.DOWN) {
            return List.of(fire(
                    key,
                    AlertSeverity.ERROR,
                    changed.group() + ": " + changed.region() + " is DOWN by quorum",
                    changed.reason(),
                    details,
                    event));
        }
        if (changed.to() == RegionHealth.UP) {
            // A failover only held because the region was down is moot once it is back.
            return List.of(
                    resolve(
                            key,
                            changed.group() + ": " + changed.region() + " is UP again",
                            changed.reason(),
                            details,
                            event),
                    new Signal(
                            "failover/" + changed.group(),
                            Signal.Kind.RESOLVE,
                            AlertSeverity.INFO,
                            changed.group() + ": " + changed.region() + " is UP again; no failover is needed",
                            changed.reason().code().name(),
                            changed.reason().message(),
                            details,
                            event,
                            false));
        }
        return List.of();
    }

    /** Whether a resolve of the failover alert by a region coming back applies: only to a failover that is held. */
    public static boolean resolvesOnlyAHeldFailover(Signal signal) {
        return signal.key().startsWith("failover/") && signal.event().data() instanceof RegionStateChanged;
    }

    private static Signal fire(
            String key,
            AlertSeverity severity,
            String title,
            Reason reason,
            Map<String, String> details,
            Event<?> event) {
        return new Signal(
                key, Signal.Kind.FIRE, severity, title, reason.code().name(), reason.message(), details, event, false);
    }

    private static Signal resolve(
            String key, String title, Reason reason, Map<String, String> details, Event<?> event) {
        return new Signal(
                key,
                Signal.Kind.RESOLVE,
                AlertSeverity.INFO,
                title,
                reason.code().name(),
                reason.message(),
                details,
                event,
                event.data() instanceof FailoverCompleted);
    }

    static String rpoKey(String group, RpoScope scope, String name) {
        return "rpo/" + group + "/" + scope + "/" + name;
    }

    static String backupKey(String group, String rule, String region) {
        return "backup/" + group + "/" + rule + "/" + region;
    }

    private static Map<String, String> details(String group, String from, String to, String name, String value) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("group", group);
        if (from != null && to != null) {
            details.put("regions", from + " → " + to);
        } else if (from != null) {
            details.put("region", from);
        }
        if (value != null) {
            details.put(name, value);
        }
        return details;
    }

    private static Map<String, String> rpo(String group, String name, long rpoMillis, long observedMillis) {
        Map<String, String> details = details(group, null, null, "scope", name);
        details.put("RPO", millis(rpoMillis));
        details.put("observed", millis(observedMillis));
        return details;
    }

    private static String millis(long millis) {
        return DurationText.of(Duration.ofMillis(millis));
    }
}
