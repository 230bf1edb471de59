package io.drplane.coordinator.decider;

import io.drplane.coordinator.state.GroupState;
import io.drplane.events.Command;
import io.drplane.events.CommandFailed;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.EventType;
import io.drplane.events.FailoverApproved;
import io.drplane.events.HealthObserved;
import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;

/**
 * A group's story told to the decider, one event at a time, on a clock the test moves. Keeps every event the decider
 * emitted, so tests assert decisions and their reasons.
 */
final class Scenario {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final List<String> VANTAGES = List.of("v1", "v2", "v3");
    static final String PRIMARY = "us-east-1";
    static final String STANDBY = "us-west-2";

    final Decider decider;
    final Plan plan;
    GroupState state;
    Instant now = T0;
    final List<EventData> emitted = new ArrayList<>();
    /** Every command issued, kept across {@link #clear()}: a result can answer a command from before. */
    private final List<Command> issued = new ArrayList<>();

    private int sequence;

    Scenario(String strategyAndMode, String failoverPolicy) {
        this(plan(strategyAndMode, failoverPolicy));
    }

    Scenario(String planYaml) {
        plan = PlanLoader.parse(planYaml, "scenario.yml");
        decider = new Decider(plan);
        state = decider.initial("shop", T0);
    }

    static Scenario warmStandby(String mode) {
        return new Scenario("strategy: warm-standby\n    mode: " + mode, "");
    }

    Scenario at(Duration sinceStart) {
        now = T0.plus(sinceStart);
        return this;
    }

    Scenario later(Duration by) {
        now = now.plus(by);
        return this;
    }

    /** One probe result of the region's web target from one vantage point whose clock is right. */
    Scenario probe(String region, String vantage, boolean ok) {
        return probeWithClock(region, vantage, ok, now);
    }

    /** Every vantage point probes the region {@code times} times, a second apart. */
    Scenario everyone(String region, boolean ok, int times) {
        for (int i = 0; i < times; i++) {
            for (String v : VANTAGES) {
                probe(region, v, ok);
            }
            later(Duration.ofSeconds(1));
        }
        return this;
    }

    /** One round: every vantage point probes both regions, then a second passes. */
    Scenario round(boolean primaryOk, boolean standbyOk) {
        for (String v : VANTAGES) {
            probe(PRIMARY, v, primaryOk);
            probe(STANDBY, v, standbyOk);
        }
        return later(Duration.ofSeconds(1));
    }

    Scenario rounds(int times, boolean primaryOk, boolean standbyOk) {
        for (int i = 0; i < times; i++) {
            round(primaryOk, standbyOk);
        }
        return this;
    }

    /** Both regions healthy from every vantage point, with a small fresh lag. */
    Scenario healthy() {
        return rounds(3, true, true).lag(200);
    }

    Scenario lag(long millis) {
        return feed(new ReplicationLagObserved(
                "shop",
                "orders-db",
                PRIMARY,
                STANDBY,
                LagStatus.MEASURED,
                millis,
                null,
                LagMethod.HEARTBEAT,
                now,
                null));
    }

    /** The lag of any link, measured now. */
    Scenario lagOf(String link, String from, String to, long millis) {
        return feed(new ReplicationLagObserved(
                "shop", link, from, to, LagStatus.MEASURED, millis, null, LagMethod.HEARTBEAT, now, null));
    }

    /** The lag of the reverse link (us-west-2 to us-east-1) of {@link #withReverseLink}'s plan. */
    Scenario lagBack(long millis) {
        return feed(new ReplicationLagObserved(
                "shop",
                "orders-db-back",
                STANDBY,
                PRIMARY,
                LagStatus.MEASURED,
                millis,
                null,
                LagMethod.HEARTBEAT,
                now,
                null));
    }

    /** A whole failover from us-east-1 to us-west-2, every command succeeding; then the old primary comes back up. */
    Scenario failedOverOnce() {
        healthy().lag(100).rounds(3, false, true);
        if (state.pending() != null && state.pending().heldFor() == ReasonCode.APPROVAL_REQUIRED) {
            approve("alice@example.com", "go");
        }
        succeed(command(EventType.PROMOTE_REPLICA)).succeed(command(EventType.SET_CAPACITY));
        succeed(command(EventType.SWITCH_DNS)).round(false, true).succeed(command(EventType.VERIFY));
        if (!state.primary().equals(STANDBY)) {
            throw new AssertionError("the failover did not complete: " + emitted);
        }
        return rounds(35, true, true).lag(100);
    }

    /**
     * Re-protect after a failover, every command succeeding, then a lag within the RPO on the link it created; returns
     * that link's name.
     */
    String reprotect(long lagMillis) {
        var run = state.reprotect();
        if (run == null || !run.started()) {
            throw new AssertionError("no re-protect is running: " + run);
        }
        for (EventType step : List.of(
                EventType.SNAPSHOT_DATABASE,
                EventType.FENCE_DATABASE,
                EventType.CREATE_REPLICA,
                EventType.SET_CAPACITY,
                EventType.VERIFY)) {
            succeed(command(step));
        }
        var link = plan.group("shop")
                .orElseThrow()
                .linkBetween(run.newPrimary(), run.oldPrimary())
                .orElseThrow();
        later(Duration.ofSeconds(1)).lagOf(link.name(), link.from(), link.to(), lagMillis);
        if (state.reprotect() != null) {
            throw new AssertionError("re-protect did not finish: " + state.reprotect());
        }
        return link.name();
    }

    /** {@code who} approves the failover held now, past the refusal it is held for, as the API writes it. */
    Scenario approve(String who, String comment) {
        var pending = state.pending();
        return feed(new FailoverApproved(
                "shop",
                pending == null ? null : pending.failoverId(),
                who,
                comment,
                now,
                pending == null ? null : pending.heldFor()));
    }

    Scenario tick() {
        return feed(new CoordinatorTicked(0, "test", now));
    }

    Scenario succeed(EventData command) {
        Command c = (Command) command;
        return feed(new CommandSucceeded(
                "shop",
                c.commandId(),
                c.failoverId(),
                c.region(),
                c.epoch(),
                c.eventType(),
                now,
                now,
                1000,
                1,
                c.dryRun(),
                Reason.of(ReasonCode.STEP_SUCCEEDED, "done."),
                Map.of()));
    }

    Scenario fail(EventData command) {
        Command c = (Command) command;
        return feed(new CommandFailed(
                "shop",
                c.commandId(),
                c.failoverId(),
                c.region(),
                c.epoch(),
                c.eventType(),
                now,
                now,
                1000,
                3,
                "Throttling",
                "Rate exceeded",
                "req-1",
                true,
                Reason.of(ReasonCode.AWS_ERROR, "throttled.")));
    }

    Scenario reject(EventData command) {
        Command c = (Command) command;
        return feed(new CommandRejected(
                "shop",
                c.commandId(),
                c.failoverId(),
                c.region(),
                c.epoch(),
                c.eventType(),
                c.epoch() + 1,
                now,
                Reason.of(ReasonCode.EPOCH_STALE, "epoch " + c.epoch() + " is lower than " + (c.epoch() + 1) + ".")));
    }

    /** When set, every tick is decided twice, with and without the quiet-tick shortcut, and the two must agree. */
    boolean crossCheckTicks;
    /** Ticks that took the shortcut, and ticks that were decided in full, while cross-checking. */
    int quietTicks;

    int fullTicks;

    /** The reasons of the inputs the decider refused, in order. */
    final List<Reason> refusals = new ArrayList<>();

    /**
     * One probe result from a vantage point whose clock reads {@code observerClock} now: the observation and its
     * envelope carry that time, and the coordinator takes it in at {@link #now}.
     */
    Scenario probeWithClock(String region, String vantage, boolean ok, Instant observerClock) {
        HealthObserved observed = new HealthObserved(
                "shop",
                region,
                "web",
                vantage,
                ProbeSource.HTTPS,
                ok ? ProbeOutcome.OK : ProbeOutcome.TIMEOUT,
                ok ? 200 : null,
                ok ? 12 : 2000,
                observerClock,
                null);
        return feed(new Event<>("in-" + (++sequence), URI.create("/test"), observerClock, observed));
    }

    Scenario feed(EventData data) {
        return feed(new Event<>("in-" + (++sequence), URI.create("/test"), now, data));
    }

    /** Decides an input the coordinator takes in at {@link #now}, whatever time the input carries. */
    Scenario feed(Event<?> event) {
        EventData data = event.data();
        Decision decision = decider.decide(state, event, now);
        if (decision.refusal() != null) {
            refusals.add(decision.refusal());
        }
        if (crossCheckTicks && data instanceof CoordinatorTicked) {
            Decision full = decider.decideFully(state, event);
            Assertions.assertThat(decision.emitted()).as("what a tick emits").isEqualTo(full.emitted());
            Assertions.assertThat(decision.state()).as("the state after a tick").isEqualTo(full.state());
            if (decision.clockOnly()) {
                Assertions.assertThat(full.state().sameDecisionsAs(state))
                        .as("a clock-only tick needs no snapshot")
                        .isTrue();
            }
            if (decider.quietTick(state, event)) {
                quietTicks++;
            } else {
                fullTicks++;
            }
        }
        state = decision.state();
        emitted.addAll(decision.emitted());
        decision.emitted().stream().filter(e -> e instanceof Command).forEach(e -> issued.add((Command) e));
        return this;
    }

    <T extends EventData> List<T> all(Class<T> type) {
        return emitted.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends EventData> T last(Class<T> type) {
        List<T> found = all(type);
        if (found.isEmpty()) {
            throw new AssertionError("no " + type.getSimpleName() + " was emitted; emitted: "
                    + emitted.stream().map(e -> e.getClass().getSimpleName()).toList());
        }
        return found.get(found.size() - 1);
    }

    List<Command> commands() {
        return emitted.stream()
                .filter(e -> e instanceof Command)
                .map(e -> (Command) e)
                .toList();
    }

    Command command(EventType type) {
        return issued.stream()
                .filter(c -> c.eventType() == type)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + type + " command; commands: " + commands()));
    }

    void clear() {
        emitted.clear();
    }

    /**
     * The plan with replication both ways, as after a person re-attached the old primary as a replica of the new one and
     * added the link: us-west-2 to us-east-1 is "orders-db-back".
     */
    static String withReverseLink(String strategyAndMode, String failoverPolicy) {
        String plan = plan(strategyAndMode, failoverPolicy);
        String link =
                "      - { name: orders-db, from: us-east-1, to: us-west-2, method: cloudwatch-rds-replica-lag, targetResource: shop-db-replica }\n";
        if (!plan.contains(link)) {
            throw new IllegalStateException("the scenario plan's link changed; update withReverseLink");
        }
        return plan.replace(
                link,
                link
                        + "      - { name: orders-db-back, from: us-west-2, to: us-east-1, method: cloudwatch-rds-replica-lag, "
                        + "targetResource: shop-db }\n");
    }

    static String plan(String strategyAndMode, String failoverPolicy) {
        return """
                version: 1
                vantagePoints: [v1, v2, v3]
                groups:
                  - id: shop
                    %s
                    objectives: { rto: 15m, rpo: %s }
                    regions:
                      - name: us-east-1
                        role: primary
                        targets: [ { name: web, kind: https, url: "https://use1.shop.example.com/health" } ]
                        database: { kind: rds-instance, identifier: shop-db }
                        compute: { autoScalingGroup: web-use1, failoverCapacity: { min: 2, desired: 4, max: 8 } }
                        dnsRecord: { setIdentifier: use1, alias: { hostedZoneId: Z35SXDOTRQ7X7K, dnsName: use1-alb.example.com } }
                      - name: us-west-2
                        role: standby
                        targets: [ { name: web, kind: https, url: "https://usw2.shop.example.com/health" } ]
                        database: { kind: rds-instance, identifier: shop-db-replica }
                        compute: { autoScalingGroup: web-usw2, failoverCapacity: { min: 2, desired: 4, max: 8 } }
                        dnsRecord: { setIdentifier: usw2, alias: { hostedZoneId: Z1H1FL5HABSF5, dnsName: usw2-alb.example.com } }
                    replication:
                      - { name: orders-db, from: us-east-1, to: us-west-2, method: cloudwatch-rds-replica-lag, targetResource: shop-db-replica }
                    dns: { hostedZoneId: Z0SHOP, recordName: shop.example.com., routing: failover }
                    backup:
                      vault: shop-vault
                      resources: [ "arn:aws:rds:us-east-1:123456789012:db:shop-db" ]
                      rules:
                        - { name: hourly, schedule: "rate(1 hour)", startWindow: 1h, completionWindow: 2h, rpo: 3h, copyTo: [ { region: us-west-2, vault: shop-vault-usw2 } ] }
                    failover:
                      quorum: majority
                      staleness: 15s
                      lagStaleness: 30s
                      breaker: { slidingWindow: 10, failureRateThreshold: 50, consecutiveFailures: 3, openWait: 30s, halfOpenSuccesses: 2 }
                %s
                """
                .formatted(
                        strategyAndMode,
                        // a backup-and-restore group's RPO is what its hourly backup can keep
                        strategyAndMode.contains("backup-and-restore") ? "3h" : "1m",
                        failoverPolicy.isEmpty()
                                ? "      cooldown: 30m\n      maxFailovers: 1\n      failoverWindow: 24h"
                                : failoverPolicy);
    }
}
