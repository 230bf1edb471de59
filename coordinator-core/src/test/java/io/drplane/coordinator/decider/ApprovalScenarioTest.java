package io.drplane.coordinator.decider;

import static io.drplane.coordinator.decider.Scenario.PRIMARY;
import static io.drplane.coordinator.decider.Scenario.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.FailoverApproved;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverKind;
import io.drplane.events.FailoverStarted;
import io.drplane.events.ReasonCode;
import io.drplane.events.SwitchoverRequested;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An approval is a person's yes to what they saw: the failover it names, past the refusal it names, for a while.
 * Anything else approves nothing. Observe mode commands nothing, planned or not.
 */
class ApprovalScenarioTest {

    @Test
    void shouldApproveAHeldPlannedSwitchoverPastTheRefusalItWasHeldFor() {
        // approval mode: re-protect waits for a person, so nothing replicates into the old primary
        Scenario s = new Scenario(
                        "strategy: warm-standby\n    mode: approval",
                        "      cooldown: 0s\n      maxFailovers: 5\n      failoverWindow: 24h")
                .failedOverOnce();
        s.clear();
        s.feed(new SwitchoverRequested("shop", PRIMARY, "bob@example.com", "back home", s.now));
        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.TARGET_NOT_REPLICATING);
        assertThat(held.remedy()).endsWith("or approve knowing its data may be old: drplane approve shop");

        s.approve("alice@example.com", "the old data will do");

        FailoverStarted started = s.last(FailoverStarted.class);
        assertThat(started.kind()).isEqualTo(FailoverKind.PLANNED_SWITCHOVER);
        assertThat(started.toRegion()).isEqualTo(PRIMARY);
        assertThat(started.reason().code()).isEqualTo(ReasonCode.SWITCHOVER_REQUESTED);
        assertThat(started.reason().message())
                .isEqualTo("planned switchover from us-west-2 to us-east-1, approved by alice@example.com past"
                        + " TARGET_NOT_REPLICATING. Epoch 2.");
    }

    @Test
    void shouldApproveNothingForAnotherFailoverOrAnotherRefusal() {
        Scenario s = new Scenario(
                        "strategy: warm-standby\n    mode: approval",
                        "      cooldown: 0s\n      maxFailovers: 5\n      failoverWindow: 24h")
                .failedOverOnce();
        s.feed(new SwitchoverRequested("shop", PRIMARY, "bob@example.com", null, s.now));
        String held = s.state.pending().failoverId();

        s.feed(new FailoverApproved(
                "shop", "another-failover", "alice@example.com", null, s.now, ReasonCode.TARGET_NOT_REPLICATING));
        s.feed(new FailoverApproved("shop", held, "alice@example.com", null, s.now, ReasonCode.COOLDOWN_ACTIVE));
        s.feed(new FailoverApproved("shop", held, "alice@example.com", null, s.now));

        assertThat(s.state.pending().approvedPast()).as("no approval took").isNull();
        assertThat(s.state.failover()).isNull();
        assertThat(s.state.pending().heldFor()).isEqualTo(ReasonCode.TARGET_NOT_REPLICATING);
    }

    @Test
    void shouldNeverApprovePastARuleNoPersonMayOverride() {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        s.clear();
        s.later(Duration.ofSeconds(20)); // the standby goes unobserved: UNKNOWN, no target
        s.everyone(PRIMARY, false, 3).lag(200);

        assertThat(s.state.pending().heldFor()).isEqualTo(ReasonCode.STANDBY_NOT_HEALTHY);
        s.approve("alice@example.com", "go anyway");

        assertThat(s.state.failover()).isNull();
        assertThat(s.all(FailoverStarted.class)).isEmpty();
    }

    @Test
    void shouldLetAnApprovalExpireAfterTheApprovalExpiry() {
        Scenario s = Scenario.warmStandby("approval").healthy();
        s.rounds(3, false, true).lag(200);
        assertThat(s.last(FailoverHeld.class).reason().code()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
        // Every vantage point goes quiet: the coordinator cannot tell, and keeps the proposal without acting.
        s.later(Duration.ofSeconds(20)).tick();
        s.approve("alice@example.com", "go");
        assertThat(s.state.pending().approvedPast()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);

        s.later(Duration.ofMinutes(16)).tick().rounds(3, false, true).lag(200);

        assertThat(s.all(FailoverStarted.class))
                .as("the approval ran out after 15 min")
                .isEmpty();
        FailoverHeld again = s.last(FailoverHeld.class);
        assertThat(again.reason().code()).as("held again, and said again").isEqualTo(ReasonCode.APPROVAL_REQUIRED);
        assertThat(again.at()).isAfter(s.state.pending().since().plus(Duration.ofMinutes(15)));
        assertThat(s.state.pending().approvedPast()).isNull();
    }

    @Test
    void shouldTakeAnApprovalGivenWithinTheApprovalExpiry() {
        Scenario s = Scenario.warmStandby("approval").healthy();
        s.rounds(3, false, true).lag(200);
        s.later(Duration.ofSeconds(20)).tick();
        s.approve("alice@example.com", "go");

        s.later(Duration.ofMinutes(10)).tick().rounds(3, false, true).lag(200);

        assertThat(s.last(FailoverStarted.class).reason().code()).isEqualTo(ReasonCode.FAILOVER_APPROVED);
    }

    @Test
    void shouldRecordButNotStartAPlannedSwitchoverInObserveMode() {
        Scenario s = Scenario.warmStandby("observe").healthy();
        s.clear();

        s.feed(new SwitchoverRequested("shop", STANDBY, "bob@example.com", null, s.now))
                .lag(0)
                .tick();

        assertThat(s.all(FailoverStarted.class)).isEmpty();
        assertThat(s.commands()).isEmpty();
        FailoverHeld held = s.last(FailoverHeld.class);
        assertThat(held.kind()).isEqualTo(FailoverKind.PLANNED_SWITCHOVER);
        assertThat(held.reason().code()).isEqualTo(ReasonCode.OBSERVE_MODE);
        assertThat(held.reason().message())
                .isEqualTo("every safety rule passed; in observe mode the planned switchover to us-west-2 is recorded,"
                        + " not commanded.");
        assertThat(s.state.pending()).as("recorded; nothing more comes of it").isNull();
    }
}
