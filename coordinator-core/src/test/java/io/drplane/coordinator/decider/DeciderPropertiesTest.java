package io.drplane.coordinator.decider;

import static io.drplane.coordinator.decider.Scenario.PRIMARY;
import static io.drplane.coordinator.decider.Scenario.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.Command;
import io.drplane.events.DrillRequested;
import io.drplane.events.EventData;
import io.drplane.events.FailoverAborted;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverFailed;
import io.drplane.events.FailoverKind;
import io.drplane.events.FailoverStarted;
import io.drplane.events.RegionHealth;
import io.drplane.events.RegionStateChanged;
import io.drplane.events.SwitchoverRequested;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties over random sequences of probes, lag readings, ticks, command results and operator requests: the
 * invariants that make the coordinator safe to leave alone.
 */
class DeciderPropertiesTest {

    /** One step of a random story. */
    enum Move {
        PRIMARY_FAILS,
        PRIMARY_OK,
        STANDBY_FAILS,
        STANDBY_OK,
        ONE_VANTAGE_SEES_PRIMARY_DOWN,
        LAG_SMALL,
        LAG_LARGE,
        TICK,
        WAIT,
        PAUSE_3S,
        PAUSE_7S,
        COMMAND_SUCCEEDS,
        COMMAND_FAILS,
        APPROVE,
        SWITCHOVER,
        DRILL
    }

    @Provide
    Arbitrary<List<Move>> stories() {
        // Weighted so that stories often lose the primary for long enough to fail over, and then run the runbook.
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, Arbitraries.just(Move.PRIMARY_FAILS)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(Move.PRIMARY_OK)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Move.STANDBY_FAILS)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Move.STANDBY_OK)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Move.ONE_VANTAGE_SEES_PRIMARY_DOWN)),
                        net.jqwik.api.Tuple.of(4, Arbitraries.just(Move.LAG_SMALL)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Move.LAG_LARGE)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(Move.TICK)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Move.WAIT)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Move.PAUSE_3S)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Move.PAUSE_7S)),
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(Move.COMMAND_SUCCEEDS)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Move.COMMAND_FAILS)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Move.APPROVE)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Move.SWITCHOVER)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Move.DRILL)))
                .list()
                .ofMinSize(20)
                .ofMaxSize(200);
    }

    @Provide
    Arbitrary<String> modes() {
        return Arbitraries.of("automatic", "approval", "observe");
    }

    @Property(tries = 300)
    void neverTwoFailoversInFlightAndEpochsStrictlyIncrease(
            @ForAll("stories") List<Move> story, @ForAll("modes") String mode) {
        Scenario s = play(story, mode);
        net.jqwik.api.statistics.Statistics.label("failovers started")
                .collect(s.all(FailoverStarted.class).isEmpty() ? "none" : "some");
        net.jqwik.api.statistics.Statistics.label("failovers started")
                .coverage(coverage -> coverage.check("some").percentage(p -> p >= 20.0));
        int inFlight = 0;
        long lastEpoch = 0;
        for (EventData e : s.emitted) {
            if (e instanceof FailoverStarted started) {
                assertThat(inFlight)
                        .as("a failover started while another was in flight")
                        .isZero();
                assertThat(started.epoch()).isGreaterThan(lastEpoch);
                lastEpoch = started.epoch();
                inFlight++;
            } else if (e instanceof FailoverCompleted || e instanceof FailoverFailed || e instanceof FailoverAborted) {
                inFlight = 0;
            } else if (e instanceof Command command) {
                assertThat(command.epoch())
                        .as("every command carries the epoch of its failover")
                        .isEqualTo(lastEpoch);
            }
        }
    }

    @Property(tries = 300)
    void neverAnAutomaticFailoverWithoutAQuorumOfFreshVotes(@ForAll("stories") List<Move> story) {
        Scenario s = Scenario.warmStandby("automatic").healthy();
        for (Move move : story) {
            int before = s.emitted.size();
            apply(s, move);
            List<EventData> decided = s.emitted.subList(before, s.emitted.size());
            for (EventData e : decided) {
                if (e instanceof FailoverStarted started && started.kind() == FailoverKind.UNPLANNED) {
                    RegionStateChanged primaryDown = lastPrimaryChange(s.emitted.subList(0, s.emitted.indexOf(e)));
                    assertThat(primaryDown)
                            .as("an unplanned failover needs the primary DOWN by quorum")
                            .isNotNull();
                    assertThat(primaryDown.to()).isEqualTo(RegionHealth.DOWN);
                    assertThat(primaryDown.votesDown()).isGreaterThanOrEqualTo(primaryDown.quorum());
                    assertThat(primaryDown.freshVantages()).isGreaterThanOrEqualTo(primaryDown.quorum());
                }
            }
        }
    }

    @Property(tries = 200)
    void replayingTheSameInputGivesTheSameDecisions(@ForAll("stories") List<Move> story, @ForAll("modes") String mode) {
        assertThat(play(story, mode).emitted).isEqualTo(play(story, mode).emitted);
    }

    @Property(tries = 300)
    void aQuietTickDecidesExactlyWhatAFullDecisionWould(
            @ForAll("stories") List<Move> story, @ForAll("modes") String mode) {
        Scenario s = Scenario.warmStandby(mode);
        s.crossCheckTicks = true; // every tick below is decided both ways and compared, state and emitted events
        s.healthy();
        story.forEach(move -> apply(s, move));
        net.jqwik.api.statistics.Statistics.label("ticks").collect(s.quietTicks > 0 ? "some quiet" : "none quiet");
        net.jqwik.api.statistics.Statistics.label("ticks")
                .coverage(coverage -> coverage.check("some quiet").percentage(p -> p >= 50.0));
        net.jqwik.api.statistics.Statistics.label("full ticks").collect(s.fullTicks > 0 ? "some full" : "none full");
        net.jqwik.api.statistics.Statistics.label("full ticks")
                .coverage(coverage -> coverage.check("some full").percentage(p -> p >= 50.0));
    }

    private static RegionStateChanged lastPrimaryChange(List<EventData> events) {
        RegionStateChanged last = null;
        for (EventData e : events) {
            if (e instanceof RegionStateChanged r && r.region().equals(PRIMARY)) {
                last = r;
            }
        }
        return last;
    }

    private static Scenario play(List<Move> story, String mode) {
        Scenario s = Scenario.warmStandby(mode).healthy();
        story.forEach(move -> apply(s, move));
        return s;
    }

    private static void apply(Scenario s, Move move) {
        switch (move) {
            case PRIMARY_FAILS -> s.round(false, true);
            case PRIMARY_OK -> s.round(true, true);
            case STANDBY_FAILS -> s.round(true, false);
            case STANDBY_OK -> s.round(true, true);
            case ONE_VANTAGE_SEES_PRIMARY_DOWN -> s.probe(PRIMARY, "v1", false)
                    .probe(PRIMARY, "v2", true)
                    .probe(PRIMARY, "v3", true)
                    .later(Duration.ofSeconds(1));
            case LAG_SMALL -> s.lag(100);
            case LAG_LARGE -> s.lag(120_000);
            case TICK -> s.tick();
            case WAIT -> s.later(Duration.ofSeconds(20)).tick();
            case PAUSE_3S -> s.later(Duration.ofSeconds(3)).tick();
            case PAUSE_7S -> s.later(Duration.ofSeconds(7)).tick();
            case COMMAND_SUCCEEDS -> lastCommand(s).ifPresent(s::succeed);
            case COMMAND_FAILS -> lastCommand(s).ifPresent(s::fail);
            case APPROVE -> s.approve("prop@example.com", null);
            case SWITCHOVER -> s.feed(new SwitchoverRequested("shop", otherThan(s), "prop@example.com", null, s.now));
            case DRILL -> s.feed(new DrillRequested("shop", otherThan(s), "prop@example.com", null, s.now));
        }
    }

    private static String otherThan(Scenario s) {
        return s.state.primary().equals(PRIMARY) ? STANDBY : PRIMARY;
    }

    private static Optional<Command> lastCommand(Scenario s) {
        List<Command> commands = new ArrayList<>(s.commands());
        return commands.isEmpty() ? Optional.empty() : Optional.of(commands.get(commands.size() - 1));
    }
}
