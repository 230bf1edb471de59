package io.drplane.executor.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.CommandRejected;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.EventType;
import io.drplane.events.Evidence;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.SetCapacity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final CommandLedger ledger = new CommandLedger("us-west-2");

    @Test
    void shouldRunANewCommandOnceAndAnswerRedeliveriesWithItsFirstResult() {
        SetCapacity command = scale("c-1", "us-west-2", 4);
        assertThat(ledger.admit(command, NOW).verdict()).isEqualTo(Admission.Verdict.RUN);
        assertThat(ledger.admit(command, NOW).verdict()).as("while it runs").isEqualTo(Admission.Verdict.IN_FLIGHT);

        CommandSucceeded first = succeeded("c-1", "us-west-2", 4);
        ledger.record(first);
        Admission again = ledger.admit(command, NOW);

        assertThat(again.verdict()).isEqualTo(Admission.Verdict.ALREADY_DONE);
        assertThat(again.firstResult()).contains(first);
        CommandSucceeded reported = (CommandSucceeded) Duplicates.reportAgain(first);
        assertThat(reported.reason().code()).isEqualTo(ReasonCode.DUPLICATE_COMMAND);
        assertThat(reported.reason().message())
                .isEqualTo("Command c-1 was delivered again; it ran once, and this is its first result"
                        + " (STEP_SUCCEEDED: scaled)");
        assertThat(reported.startedAt()).isEqualTo(first.startedAt());
    }

    @Test
    void shouldRejectAStaleEpochWithTheHighestSeen() {
        ledger.admit(scale("c-5", "us-west-2", 5), NOW);
        Admission stale = ledger.admit(scale("c-4", "us-west-2", 4), NOW);

        assertThat(stale.verdict()).isEqualTo(Admission.Verdict.REJECT);
        assertThat(stale.highestEpoch()).isEqualTo(5);
        assertThat(stale.reason().orElseThrow().code()).isEqualTo(ReasonCode.EPOCH_STALE);
        assertThat(stale.reason().orElseThrow().message())
                .isEqualTo("Command c-4 carries epoch 4, lower than epoch 5 already seen for group"
                        + " shop: its coordinator was fenced off.");
        assertThat(ledger.admit(scale("c-6", "us-west-2", 5), NOW).verdict())
                .as("the same epoch is fine")
                .isEqualTo(Admission.Verdict.RUN);
    }

    @Test
    void shouldLearnEpochsFromEveryRegionsResultsButRememberOnlyItsOwnCommands() {
        ledger.record(succeeded("east-1", "us-east-1", 7));

        assertThat(ledger.highestEpoch("shop")).isEqualTo(7);
        assertThat(ledger.result("east-1")).isEmpty();
        assertThat(ledger.admit(scale("c-1", "us-west-2", 6), NOW)
                        .reason()
                        .orElseThrow()
                        .code())
                .isEqualTo(ReasonCode.EPOCH_STALE);
    }

    @Test
    void shouldRejectACommandForAnotherRegion() {
        Admission wrong = ledger.admit(scale("c-1", "us-east-1", 1), NOW);

        assertThat(wrong.verdict()).isEqualTo(Admission.Verdict.REJECT);
        assertThat(wrong.reason().orElseThrow().code()).isEqualTo(ReasonCode.WRONG_REGION);
        assertThat(wrong.reason().orElseThrow().message())
                .isEqualTo("Command c-1 is for us-east-1, and this executor acts in us-west-2 only.");
    }

    @Test
    void shouldRejectACommandThatExpiredBeforeItArrived() {
        SetCapacity late = scale("c-1", "us-west-2", 1);
        Admission expired = ledger.admit(late, late.issuedAt().plusMillis(late.timeoutMillis() + 1));

        assertThat(expired.verdict()).isEqualTo(Admission.Verdict.REJECT);
        assertThat(expired.reason().orElseThrow().code()).isEqualTo(ReasonCode.STEP_TIMED_OUT);
        assertThat(expired.reason().orElseThrow().message())
                .isEqualTo("Command c-1 expired at 2026-11-22T10:05:00Z (issued 2026-11-22T10:00:00Z"
                        + " with a 300000 ms timeout) before it reached this executor; it was not run.");
    }

    @Test
    void shouldNotLetARejectionHideARealResult() {
        ledger.record(new CommandRejected(
                "shop",
                "c-1",
                "fo-1",
                "us-west-2",
                1,
                EventType.SET_CAPACITY,
                2,
                NOW,
                Reason.of(ReasonCode.EPOCH_STALE, "stale.")));
        ledger.record(succeeded("c-1", "us-west-2", 1));

        assertThat(ledger.result("c-1")).get().isInstanceOf(CommandSucceeded.class);
    }

    private static SetCapacity scale(String id, String region, long epoch) {
        return new SetCapacity(
                "shop",
                id,
                "fo-1",
                region,
                epoch,
                NOW,
                300_000,
                false,
                "web",
                2,
                4,
                8,
                2,
                null,
                Reason.of(ReasonCode.RUNBOOK_STEP, "scale-compute."),
                Evidence.none());
    }

    private static CommandSucceeded succeeded(String id, String region, long epoch) {
        return new CommandSucceeded(
                "shop",
                id,
                "fo-1",
                region,
                epoch,
                EventType.SET_CAPACITY,
                NOW,
                NOW.plusSeconds(3),
                3_000,
                1,
                false,
                Reason.of(ReasonCode.STEP_SUCCEEDED, "scaled"),
                Map.of());
    }
}
