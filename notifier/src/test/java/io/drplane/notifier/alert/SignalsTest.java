package io.drplane.notifier.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.AlertSeverity;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupCopyFailed;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.BackupJobFailed;
import io.drplane.events.BackupJobMissed;
import io.drplane.events.BackupRestoreTested;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverAborted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.GroupReprotected;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReprotectHeld;
import io.drplane.notifier.TestEvents;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The severity table of the notifier: what fires, how urgently, and what resolves it. */
class SignalsTest {

    private static final Instant T0 = TestEvents.T0;

    @Test
    void shouldRateEveryAlertAsAPersonOnCallWould() {
        assertThat(one(TestEvents.held("e")).severity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(one(new FailoverFailed(
                                "shop",
                                "f-1",
                                4,
                                "promote-database",
                                T0,
                                Reason.of(ReasonCode.STEP_FAILED, "promote failed."),
                                Evidence.none()))
                        .severity())
                .isEqualTo(AlertSeverity.CRITICAL);
        assertThat(one(new FailoverAborted(
                                "shop", "f-1", 4, "alice", T0, Reason.of(ReasonCode.OPERATOR_ABORTED, "aborted.")))
                        .severity())
                .isEqualTo(AlertSeverity.CRITICAL);
        assertThat(one(TestEvents.started("e", 4)).severity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(one(TestEvents.breached("e")).severity()).isEqualTo(AlertSeverity.ERROR);
        assertThat(one(TestEvents.down("e")).severity()).isEqualTo(AlertSeverity.ERROR);
        assertThat(one(new BackupJobFailed("shop", "daily", "us-east-1", "j-1", "AccessDenied", "denied", T0)))
                .satisfies(s -> {
                    assertThat(s.severity()).isEqualTo(AlertSeverity.ERROR);
                    assertThat(s.key()).isEqualTo("backup/shop/daily/us-east-1");
                });
        assertThat(one(new BackupJobMissed(
                                "shop",
                                "daily",
                                "us-east-1",
                                T0,
                                T0.plusSeconds(3600),
                                Reason.of(ReasonCode.BACKUP_WINDOW_MISSED, "the job did not start within 1h.")))
                        .severity())
                .isEqualTo(AlertSeverity.WARNING);
        assertThat(one(new BackupCopyFailed(
                        "shop", "daily", "us-east-1", "us-west-2", "c-1", "AccessDenied", "vault policy", T0)))
                .satisfies(s -> {
                    assertThat(s.severity()).isEqualTo(AlertSeverity.ERROR);
                    assertThat(s.key()).isEqualTo("copy/shop/daily/us-west-2");
                    assertThat(s.title()).contains("going stale");
                });
        Signal slow = one(restoreTested(ReasonCode.RESTORE_SLOWER_THAN_RTO, 1_260_000L));
        assertThat(slow.severity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(slow.reasonCode()).isEqualTo(ReasonCode.RESTORE_SLOWER_THAN_RTO.name());
        assertThat(slow.details()).containsEntry("restore time", "21m (RTO 15m)");
        Signal failed = one(restoreTested(ReasonCode.RESTORE_TEST_FAILED, null));
        assertThat(failed.severity()).isEqualTo(AlertSeverity.ERROR);
        assertThat(failed.reasonCode()).isEqualTo(ReasonCode.RESTORE_TEST_FAILED.name());
        assertThat(failed.details()).containsEntry("restore time", "did not finish (RTO 15m)");
    }

    @Test
    void shouldResolveWithTheGoodNewsOfTheSameKey() {
        assertThat(one(new BackupJobCompleted("shop", "daily", "us-east-1", "j-2", "arn:rp", null, T0, T0)))
                .satisfies(s -> {
                    assertThat(s.fires()).isFalse();
                    assertThat(s.key()).isEqualTo("backup/shop/daily/us-east-1");
                });
        assertThat(one(new BackupCopyCompleted(
                        "shop", "daily", "us-east-1", "us-west-2", "c-2", "arn:rp2", T0.minusSeconds(60), T0)))
                .satisfies(s -> {
                    assertThat(s.fires()).isFalse();
                    assertThat(s.key()).isEqualTo("copy/shop/daily/us-west-2");
                });
        Signal passed = one(restoreTested(ReasonCode.RESTORE_TEST_PASSED, 300_000L));
        assertThat(passed.fires()).isFalse();
        assertThat(passed.reasonCode()).isEqualTo(ReasonCode.RESTORE_TEST_PASSED.name());
        assertThat(passed.key()).isEqualTo("restore-test/shop/daily/us-west-2");
        assertThat(one(TestEvents.completed("e", 4)).news())
                .as("a completed failover is news")
                .isTrue();
        assertThat(one(TestEvents.restored("e")).news())
                .as("an RPO back in line is not")
                .isFalse();
    }

    @Test
    void shouldFireOnReprotectAPersonMustActOnAndResolveWhenProtectedAgain() {
        ReprotectHeld failed = new ReprotectHeld(
                "shop",
                "shop-reprotect-3",
                "f-3",
                "us-east-1",
                "us-west-2",
                "fix what failed, then retry the step: drplane approve shop",
                T0,
                Reason.of(ReasonCode.REPROTECT_STEP_FAILED, "create-replica has no retries left."),
                Evidence.none());
        assertThat(one(failed)).satisfies(s -> {
            assertThat(s.key()).isEqualTo("reprotect/shop");
            assertThat(s.severity()).isEqualTo(AlertSeverity.ERROR);
            assertThat(s.title()).isEqualTo("shop: re-protect of us-east-1 held, a step failed: a person must act");
            assertThat(s.details())
                    .containsEntry("remedy", "fix what failed, then retry the step: drplane approve shop");
        });
        assertThat(Signals.of(TestEvents.event(
                        "w",
                        new ReprotectHeld(
                                "shop",
                                "shop-reprotect-3",
                                "f-3",
                                "us-east-1",
                                "us-west-2",
                                "bring us-east-1 back",
                                T0,
                                Reason.of(ReasonCode.REPROTECT_WAITING_FOR_REGION, "us-east-1 is DOWN."),
                                Evidence.none()))))
                .as("the region's own alert says it is down")
                .isEmpty();
        Signal done = one(new GroupReprotected(
                "shop",
                "shop-reprotect-3",
                "f-3",
                "us-west-2",
                "us-east-1",
                "orders-db-reversed",
                21_000,
                120L,
                T0,
                Reason.of(ReasonCode.REPROTECTED, "us-west-2 is protected again."),
                Evidence.none()));
        assertThat(done.fires()).isFalse();
        assertThat(done.key()).isEqualTo("reprotect/shop");
        assertThat(done.title()).isEqualTo("shop: protected again, us-east-1 replicates from us-west-2");
        assertThat(done.details()).containsEntry("time to re-protect", "21s");
    }

    @Test
    void shouldFindNoAlertInObservations() {
        assertThat(Signals.of(TestEvents.event(
                        "e",
                        new HealthObserved(
                                "shop",
                                "us-east-1",
                                "web",
                                "v1",
                                ProbeSource.HTTP,
                                ProbeOutcome.OK,
                                200,
                                12,
                                T0,
                                "ok"))))
                .isEmpty();
    }

    private static BackupRestoreTested restoreTested(ReasonCode code, Long millis) {
        return new BackupRestoreTested(
                "shop",
                "daily",
                "us-west-2",
                "arn:rp2",
                millis,
                900_000,
                code != ReasonCode.RESTORE_TEST_FAILED,
                T0,
                Reason.of(code, "the restore test said so."));
    }

    private static Signal one(EventData data) {
        List<Signal> signals = Signals.of(TestEvents.event("e", data));
        assertThat(signals).hasSize(1);
        return signals.get(0);
    }

    private static Signal one(Event<?> event) {
        List<Signal> signals = Signals.of(event);
        assertThat(signals).hasSize(1);
        return signals.get(0);
    }
}
