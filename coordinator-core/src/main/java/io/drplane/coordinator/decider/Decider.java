package io.drplane.coordinator.decider;

import io.drplane.coordinator.analysis.Analysis;
import io.drplane.coordinator.analysis.Situation;
import io.drplane.coordinator.breaker.Breaker;
import io.drplane.coordinator.quorum.Votes;
import io.drplane.coordinator.runbook.ReprotectRunbook;
import io.drplane.coordinator.runbook.ReprotectRunner;
import io.drplane.coordinator.runbook.RunContext;
import io.drplane.coordinator.runbook.Runbook;
import io.drplane.coordinator.runbook.RunbookRunner;
import io.drplane.coordinator.runbook.StepAction;
import io.drplane.coordinator.runbook.StepRunner;
import io.drplane.coordinator.safety.Refusal;
import io.drplane.coordinator.safety.SafetyContext;
import io.drplane.coordinator.safety.SafetyRule;
import io.drplane.coordinator.state.Cow;
import io.drplane.coordinator.state.FailoverRun;
import io.drplane.coordinator.state.GroupState;
import io.drplane.coordinator.state.LagView;
import io.drplane.coordinator.state.Pending;
import io.drplane.coordinator.state.ReprotectRun;
import io.drplane.coordinator.state.Sighting;
import io.drplane.coordinator.state.StepRun;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.BreakerState;
import io.drplane.events.BreakerTransitioned;
import io.drplane.events.CommandFailed;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.CoordinatorTicked;
import io.drplane.events.DrillRequested;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverAbortRequested;
import io.drplane.events.FailoverAborted;
import io.drplane.events.FailoverApproved;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverKind;
import io.drplane.events.FailoverProposed;
import io.drplane.events.FailoverStarted;
import io.drplane.events.HealthObserved;
import io.drplane.events.LagStatus;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.events.RegionStateChanged;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.ReprotectHeld;
import io.drplane.events.ReprotectStarted;
import io.drplane.events.SwitchoverRequested;
import io.drplane.events.TopologyChanged;
import io.drplane.events.TopologyLink;
import io.drplane.plan.Group;
import io.drplane.plan.Mode;
import io.drplane.plan.Plan;
import io.drplane.plan.Region;
import io.drplane.plan.ReplicationLink;
import io.drplane.plan.WireName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The coordinator's brain: a pure function {@code (GroupState, Event) -> (GroupState, events to publish)}. No I/O, no
 * wall clock, no randomness: time is the time of the events, including the coordinator's own ticks, so replaying the
 * same input gives the same decisions. Each input goes through the same named steps, in order:
 * <ol>
 *   <li>take the event in (breakers, lags, recovery points, operator requests, command results);</li>
 *   <li>decide each region's health by quorum of fresh vantage points;</li>
 *   <li>classify the situation with the analysis table;</li>
 *   <li>run the failover in progress, or consider one: propose, check the safety rules and the mode, start.</li>
 * </ol>
 */
public final class Decider {

    private final Plan plan;
    /** Each group of the plan with its layout: one lookup per decision. */
    private final Map<String, Planned> groups = new HashMap<>();

    private final RunbookRunner runner = new RunbookRunner();
    private final ReprotectRunner reprotectRunner = new ReprotectRunner();

    private record Planned(Group group, Layout layout) {}

    public Decider(Plan plan) {
        this.plan = plan;
        Layout.Names names = new Layout.Names();
        plan.groups().forEach(g -> groups.put(g.id(), new Planned(g, new Layout(g, plan.vantagePoints(), names))));
    }

    public GroupState initial(String groupId, Instant at) {
        Planned planned = planned(groupId);
        Map<String, RegionHealth> regions = new HashMap<>();
        planned.group().regions().forEach(r -> regions.put(r.name(), RegionHealth.UNKNOWN));
        return new GroupState(
                groupId,
                0,
                planned.group().primary().name(),
                Map.of(),
                regions,
                Map.of(),
                null,
                Analysis.OBSERVERS_INSUFFICIENT,
                null,
                null,
                null,
                List.of(),
                null,
                at,
                planned.layout().fingerprint,
                plannedLinks(planned.group()),
                null);
    }

    /** The plan's topology: every link of the plan but those into the primary (which it writes, not replicates). */
    private static List<String> plannedLinks(Group group) {
        String primary = group.primary().name();
        return group.replication().stream()
                .filter(l -> !l.to().equals(primary))
                .map(ReplicationLink::name)
                .toList();
    }

    /** {@link #decide(GroupState, Event, Instant)} of an input taken in at its own time (tests, old journals). */
    public Decision decide(GroupState state, Event<?> event) {
        return decide(state, event, event.time());
    }

    /**
     * Decides one input. {@code arrivedAt} is the coordinator's clock when it took the input in (the shell journals it
     * with the input, so a replay decides with the same time): it is the decider's "now". No producer's clock moves
     * it. The times an input carries that the decider uses (when an observation was made, when a recovery point was
     * created) are checked against it: more than the plan's {@code maxClockSkew} ahead, or an observation older than
     * its staleness bound, and the input is refused with a reason, changing nothing.
     */
    public Decision decide(GroupState state, Event<?> event, Instant arrivedAt) {
        Planned planned = planned(state.group());
        Group group = planned.group();
        Layout layout = planned.layout();
        Optional<Reason> refused = InputTimes.refusal(group, event.data(), arrivedAt);
        if (refused.isPresent()) {
            return Decision.refused(state, refused.get());
        }
        Instant now = clockAt(state, arrivedAt, group);
        if (event.data() instanceof CoordinatorTicked
                && !now.isBefore(state.now())
                && quietTick(state, group, layout, now)) {
            return new Decision(now.isAfter(state.now()) ? state.at(now) : state, List.of(), true);
        }
        return decideFully(state, event, group, layout, now);
    }

    /**
     * The decider's time for an input that arrived at {@code arrivedAt}: the coordinator's clock, which never runs
     * backwards, except over a state whose time is further ahead of it than any skew allows (a state from before
     * inputs were checked, moved by an observer with a wrong clock): the coordinator's clock wins, or that one input
     * would blind the group for as long as it is ahead.
     */
    private static Instant clockAt(GroupState state, Instant arrivedAt, Group group) {
        if (state.now().toEpochMilli() - arrivedAt.toEpochMilli()
                > group.failover().maxClockSkew().toMillis()) {
            return arrivedAt;
        }
        return arrivedAt.isAfter(state.now()) ? arrivedAt : state.now();
    }

    /** Whether {@link #decide} takes the quiet-tick shortcut for this input taken in at its own time (for the tests). */
    boolean quietTick(GroupState state, Event<?> event) {
        Planned planned = planned(state.group());
        return event.data() instanceof CoordinatorTicked
                && quietTick(state, planned.group(), planned.layout(), event.time());
    }

    /** {@link #decide} without the quiet-tick shortcut; the tests hold the two to the same results. */
    Decision decideFully(GroupState state, Event<?> event) {
        Planned planned = planned(state.group());
        return decideFully(
                state, event, planned.group(), planned.layout(), clockAt(state, event.time(), planned.group()));
    }

    private Decision decideFully(GroupState state, Event<?> event, Group group, Layout layout, Instant now) {
        if (!layout.fingerprint.equals(state.layout())) {
            state = underThisPlan(state, layout);
        }
        Work work = new Work(group, layout, state, event.id());
        work.now = now;
        if (work.links == null) {
            // a state from before the topology was kept: the plan's links, unless a failover has left them behind
            work.links = work.primary.equals(group.primary().name()) ? plannedLinks(group) : List.of();
        }
        takeIn(work, event.data());
        decideRegions(work);
        work.analysis = Analysis.of(new Situation(
                work.primary,
                work.regions.view(),
                primaryReplicated(work),
                lagAboveRpo(work),
                work.reprotect != null && work.reprotect.started()));
        if (work.failover != null) {
            runFailover(work);
        } else {
            considerFailover(work);
        }
        if (work.failover == null) {
            runReprotect(work);
        }
        return new Decision(work.state(), work.emitted);
    }

    /**
     * Whether a tick at {@code time} can change nothing but the clock: no failover running or proposed, the primary
     * not down, no breaker open (only an open breaker moves on a tick), and no vantage point's last report crossing
     * the staleness bound between the state's time and the tick's (only that changes a vote). The shell ticks every
     * group of a partition every second, and most groups are quiet most of the time: this keeps a tick's cost for
     * them to a scan of a few sightings instead of a full decision.
     */
    private static boolean quietTick(GroupState s, Group group, Layout layout, Instant time) {
        if (!layout.fingerprint.equals(s.layout())
                || s.failover() != null
                || s.pending() != null
                || s.reprotect() != null
                || s.analysis() == Analysis.PRIMARY_REGION_DOWN) {
            return false;
        }
        Instant until = time.isAfter(s.now()) ? time : s.now();
        Duration staleness = group.failover().staleness();
        Instant freshAtState = s.now().minus(staleness);
        Instant freshAtTick = until.minus(staleness);
        for (Sighting sighting : s.sightings().values()) {
            Instant seen = sighting.lastSeen();
            if (!seen.isBefore(freshAtState) && seen.isBefore(freshAtTick)) {
                return false; // fresh at the state's time, stale at the tick's: a vote changes
            }
            for (int i = 0; i < sighting.size(); i++) {
                Breaker breaker = sighting.breaker(i);
                if (breaker != null && breaker.state() == BreakerState.OPEN) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A state written under a plan with other targets (restored after a plan change): its breakers cannot be matched
     * to this plan's targets, so they are dropped and rebuilt from the next probes; everything else is kept.
     */
    private static GroupState underThisPlan(GroupState s, Layout layout) {
        return new GroupState(
                s.group(),
                s.epoch(),
                s.primary(),
                Map.of(),
                s.regions(),
                s.lags(),
                s.recoveryPoints(),
                s.analysis(),
                s.primaryDownSince(),
                s.failover(),
                s.pending(),
                s.failoverStarts(),
                s.lastFailoverAt(),
                s.now(),
                layout.fingerprint,
                s.links(),
                s.reprotect());
    }

    private Planned planned(String id) {
        Planned planned = groups.get(id);
        if (planned == null) {
            throw new IllegalArgumentException("group " + id + " is not in the plan");
        }
        return planned;
    }

    // 1. Take the event in.

    private void takeIn(Work w, EventData data) {
        if (data instanceof HealthObserved h) {
            observeHealth(w, h);
        } else if (data instanceof ReplicationLagObserved l) {
            w.lags.put(
                    l.link(),
                    new LagView(
                            l.sourceRegion(), l.targetRegion(), l.status(), l.lagMillis(), l.observedAt(), w.inputId));
        } else if (data instanceof BackupJobCompleted b) {
            w.recoveryPoint(b.region(), b.createdAt());
        } else if (data instanceof BackupCopyCompleted b) {
            w.recoveryPoint(b.destinationRegion(), b.sourceCreatedAt());
        } else if (data instanceof CoordinatorTicked) {
            tickBreakers(w);
        } else if (data instanceof FailoverApproved a) {
            approve(w, a);
        } else if (data instanceof FailoverAbortRequested a) {
            abort(w, a);
        } else if (data instanceof SwitchoverRequested s) {
            request(
                    w,
                    FailoverKind.PLANNED_SWITCHOVER,
                    s.targetRegion(),
                    s.principal(),
                    Reason.of(
                            ReasonCode.SWITCHOVER_REQUESTED,
                            s.principal() + " asked for a planned switchover to " + s.targetRegion() + "."));
        } else if (data instanceof DrillRequested d) {
            request(
                    w,
                    FailoverKind.DRILL,
                    d.targetRegion(),
                    d.principal(),
                    Reason.of(
                            ReasonCode.DRILL_REQUESTED,
                            d.principal() + " asked for a drill to " + d.targetRegion() + "; commands run dry."));
        } else if (data instanceof CommandSucceeded s) {
            commandResult(w, s.commandId(), true, null);
        } else if (data instanceof CommandFailed f) {
            commandResult(
                    w,
                    f.commandId(),
                    false,
                    Reason.of(
                            ReasonCode.STEP_FAILED,
                            f.commandType().shortName() + " failed after " + f.attempts() + " attempt(s): "
                                    + f.errorCode() + " " + f.errorMessage()));
        } else if (data instanceof CommandRejected r) {
            if (r.highestEpochSeen() > w.epoch) {
                // An executor has seen a higher epoch than this state has (a state restored without its snapshot, say):
                // epochs never go backwards, or every command of the next failover would be rejected as stale.
                w.epoch = r.highestEpochSeen();
            }
            commandResult(w, r.commandId(), false, r.reason());
        }
        // other events (notifications, our own decisions) carry nothing for the decider
    }

    /**
     * An approval counts only for the failover it names, past the refusal it names, and only while that is what the
     * failover is held for: a person approves what they saw, not whatever comes next. Anything else approves nothing
     * (the API answers 409 before writing such an approval).
     */
    private void approve(Work w, FailoverApproved a) {
        ReprotectRun r = w.reprotect;
        if (r != null && r.id().equals(a.failoverId()) && a.overrides() != null && a.overrides() == r.heldFor()) {
            if (r.heldFor() == ReasonCode.APPROVAL_REQUIRED) {
                w.reprotect = r.approvedBy(a.principal()); // starts below, when the old region is up
            } else if (r.heldFor() == ReasonCode.REPROTECT_STEP_FAILED) {
                w.reprotect = reprotectRunner.resume(r.heldFor(null).approvedBy(a.principal()), w);
            }
            return;
        }
        Pending p = w.pending;
        if (p != null
                && p.failoverId().equals(a.failoverId())
                && a.overrides() != null
                && a.overrides() == p.heldFor()
                && SafetyRule.approvable(a.overrides())) {
            w.pending = p.approvedBy(a.principal(), a.overrides(), w.now);
        }
    }

    private void abort(Work w, FailoverAbortRequested a) {
        if (w.failover != null && w.failover.id().equals(a.failoverId())) {
            w.emit(new FailoverAborted(
                    w.group.id(),
                    w.failover.id(),
                    w.failover.epoch(),
                    a.principal(),
                    w.now,
                    Reason.of(
                            ReasonCode.OPERATOR_ABORTED,
                            a.principal() + " aborted failover " + w.failover.id()
                                    + (a.comment() == null ? "." : ": " + a.comment()))));
            w.failover = null;
            w.pending = null;
        }
    }

    private void request(Work w, FailoverKind kind, String target, String principal, Reason reason) {
        String busy = w.failover != null
                ? "failover " + w.failover.id() + " to " + w.failover.to() + " is in progress"
                : w.pending != null ? "a failover to " + w.pending.to() + " is already proposed" : null;
        if (busy != null || target.equals(w.primary) || w.group.region(target).isEmpty()) {
            // An operator's request is never dropped without a word: say why it does not run.
            String why = busy != null
                    ? busy
                    : target.equals(w.primary)
                            ? target + " is already the primary"
                            : target + " is not a region of the group";
            w.emit(new FailoverHeld(
                    w.group.id(),
                    null,
                    w.primary,
                    target,
                    kind,
                    busy != null
                            ? "wait for it to finish, or abort it with: drplane abort " + w.group.id()
                            : "ask for another region",
                    w.now,
                    Reason.of(
                            busy != null ? ReasonCode.FAILOVER_IN_PROGRESS : ReasonCode.REQUEST_NOT_APPLICABLE,
                            principal + "'s " + wire(kind) + " request was not started: " + why + "."),
                    w.evidence()));
            return;
        }
        w.pending = new Pending(w.nextFailoverId(), kind, w.primary, target, w.now, null, true, principal);
        w.emit(new FailoverProposed(
                w.group.id(), w.pending.failoverId(), w.primary, target, kind, w.now, reason, w.evidence()));
    }

    private void observeHealth(Work w, HealthObserved h) {
        Layout.Keys keys = w.layout.keys(h.region(), h.target(), h.vantage());
        if (keys == null) {
            return; // not a target of this plan, or not a vantage point it counts: no vote
        }
        Sighting sighting = w.sightings.get(keys.seenKey());
        if (sighting == null) {
            sighting = Sighting.empty(
                    w.group.region(h.region()).orElseThrow().targets().size());
        }
        Breaker breaker = sighting.breaker(keys.target());
        breaker = breaker == null ? Breaker.closed(h.observedAt()) : breaker;
        Breaker.Moved moved = breaker.record(h.outcome() != ProbeOutcome.OK, w.now, w.group.failover());
        w.sightings.put(keys.seenKey(), sighting.with(keys.target(), moved.breaker(), h.observedAt()));
        moved.transitions()
                .forEach(t -> w.emit(new BreakerTransitioned(
                        w.group.id(),
                        h.region(),
                        h.target(),
                        h.vantage(),
                        t.transition().from(),
                        t.transition().to(),
                        w.now,
                        t.reason())));
    }

    private void tickBreakers(Work w) {
        for (Layout.RegionView view : w.layout.regions) {
            for (Layout.VantageView vantage : view.vantages()) {
                Sighting sighting = w.sightings.get(vantage.seenKey());
                for (int i = 0; sighting != null && i < sighting.size(); i++) {
                    Breaker breaker = sighting.breaker(i);
                    Breaker.Moved moved = breaker == null ? null : breaker.tick(w.now, w.group.failover());
                    if (moved != null && !moved.transitions().isEmpty()) {
                        sighting = sighting.with(i, moved.breaker(), sighting.lastSeen());
                        w.sightings.put(vantage.seenKey(), sighting);
                        String target = view.region().targets().get(i).name();
                        moved.transitions()
                                .forEach(t -> w.emit(new BreakerTransitioned(
                                        w.group.id(),
                                        view.region().name(),
                                        target,
                                        vantage.vantage(),
                                        t.transition().from(),
                                        t.transition().to(),
                                        w.now,
                                        t.reason())));
                    }
                }
            }
        }
    }

    // 2. Region health by quorum.

    private void decideRegions(Work w) {
        int quorum = w.group.failover().quorumOf(plan.vantagePoints().size());
        // lastSeen + staleness < now, as lastSeen < now - staleness: one subtraction per decision, not one per vantage
        Instant freshSince = w.now.minus(w.group.failover().staleness());
        Instant freshUntil = w.now.plus(w.group.failover().maxClockSkew());
        for (Layout.RegionView view : w.layout.regions) {
            Region region = view.region();
            int down = 0;
            int up = 0;
            int partial = 0;
            int fresh = 0;
            for (Layout.VantageView vantage : view.vantages()) {
                Sighting sighting = w.sightings.get(vantage.seenKey());
                if (sighting == null
                        || sighting.lastSeen().isBefore(freshSince)
                        || sighting.lastSeen().isAfter(freshUntil)) {
                    continue; // stale, or dated ahead of any skew allowed (a state from before inputs were checked): no
                    // vote
                }
                fresh++;
                int failing = sighting.failing();
                if (failing == sighting.size()) {
                    down++;
                } else if (failing == 0) {
                    up++;
                } else {
                    partial++;
                }
            }
            Votes votes = new Votes(down, up, partial, fresh, quorum);
            RegionHealth stored = w.regions.get(region.name());
            RegionHealth before = stored == null ? RegionHealth.UNKNOWN : stored;
            RegionHealth after = region.targets().isEmpty() ? RegionHealth.UNKNOWN : votes.health();
            if (before != after) {
                w.regions.put(region.name(), after);
                w.facts.put(
                        "region." + region.name(),
                        after + " (" + down + " down, " + up + " up, " + partial + " partial, " + fresh
                                + " fresh, quorum " + quorum + ")");
                w.emit(new RegionStateChanged(
                        w.group.id(),
                        region.name(),
                        before,
                        after,
                        down,
                        up,
                        fresh,
                        quorum,
                        w.now,
                        votes.reason(region.name()),
                        w.evidence()));
            }
        }
        RegionHealth primary = w.regions.get(w.primary);
        if (primary == RegionHealth.DOWN && w.primaryDownSince == null) {
            w.primaryDownSince = w.now;
        } else if (primary == RegionHealth.UP) {
            w.primaryDownSince = null;
        }
    }

    /** Whether some live link runs out of the current primary; a group that replicates nothing has nothing to miss. */
    private static boolean primaryReplicated(Work w) {
        if (w.group.replication().isEmpty()) {
            return true;
        }
        for (String name : w.links) {
            ReplicationLink link = w.layout.link(name);
            if (link != null && link.from().equals(w.primary)) {
                return true;
            }
        }
        return false;
    }

    private boolean lagAboveRpo(Work w) {
        long rpo = w.group.objectives().rpo().toMillis();
        for (Map.Entry<String, LagView> entry : w.lags.view().entrySet()) {
            LagView l = entry.getValue();
            // Only a live link out of the current primary protects its data; after a failover the old link is history.
            if (l.from().equals(w.primary)
                    && w.links.contains(entry.getKey())
                    && l.lagMillis() != null
                    && l.status() != LagStatus.UNKNOWN
                    && l.lagMillis() > rpo) {
                return true;
            }
        }
        return false;
    }

    // 4. Consider a failover: propose, check, start.

    private void considerFailover(Work w) {
        if (w.pending == null && (w.analysis == Analysis.PRIMARY_REGION_DOWN)) {
            String target = chooseTarget(w);
            w.pending = new Pending(
                    w.nextFailoverId(), FailoverKind.UNPLANNED, w.primary, target, w.now, null, false, null);
            w.emit(new FailoverProposed(
                    w.group.id(),
                    w.pending.failoverId(),
                    w.primary,
                    target,
                    FailoverKind.UNPLANNED,
                    w.now,
                    Reason.of(
                            ReasonCode.PRIMARY_REGION_DOWN,
                            "the primary " + w.primary + " is down by quorum; " + target + " is the failover target."),
                    w.evidence()));
        }
        if (w.pending == null) {
            return;
        }
        if (w.pending.kind() == FailoverKind.UNPLANNED && w.analysis != Analysis.PRIMARY_REGION_DOWN) {
            if (w.regions.get(w.primary) == RegionHealth.UP) {
                w.pending = null; // the primary is back: nothing to fail over
            }
            return; // cannot tell right now (too few fresh observers, or a split vote): keep the proposal, act on
            // nothing
        }
        Pending p = w.pending;
        if (p.approvedAt() != null
                && !w.now.isBefore(p.approvedAt().plus(w.group.failover().approvalExpiry()))) {
            p = p.approvalExpired(); // approved too long ago: held again, and said again
            w.pending = p;
        }
        Optional<Refusal> refusal = SafetyRule.firstRefusal(
                new SafetyContext(w.group, w.state(), p.to(), p.kind(), w.now), p.approved() ? p.approvedPast() : null);
        if (refusal.isPresent()) {
            hold(w, refusal.get().code(), refusal.get().reason(), refusal.get().remedy());
            return;
        }
        if (p.kind() != FailoverKind.DRILL && w.group.mode() == Mode.OBSERVE) {
            // Observe commands nothing, planned or not; a drill runs dry anyway.
            hold(
                    w,
                    ReasonCode.OBSERVE_MODE,
                    Reason.of(
                            ReasonCode.OBSERVE_MODE,
                            "every safety rule passed; in observe mode the "
                                    + (p.kind() == FailoverKind.UNPLANNED ? "failover" : "planned switchover") + " to "
                                    + p.to()
                                    + " is recorded, not commanded."),
                    "set mode: automatic or approval in the plan to act");
            if (p.kind() == FailoverKind.PLANNED_SWITCHOVER) {
                w.pending = null; // recorded; nothing more will come of it
            }
            return;
        }
        if (p.kind() == FailoverKind.UNPLANNED && w.group.mode() == Mode.APPROVAL && !p.approved()) {
            hold(
                    w,
                    ReasonCode.APPROVAL_REQUIRED,
                    Reason.of(
                            ReasonCode.APPROVAL_REQUIRED,
                            "every safety rule passed; the group is " + "in approval mode."),
                    "approve with: drplane approve " + w.group.id());
            return;
        }
        start(w);
    }

    private String chooseTarget(Work w) {
        List<Region> standbys = w.group.regions().stream()
                .filter(r -> !r.name().equals(w.primary))
                .toList();
        return standbys.stream()
                .filter(r -> w.regions.get(r.name()) == RegionHealth.UP)
                .findFirst()
                .orElse(standbys.get(0))
                .name();
    }

    private void hold(Work w, ReasonCode code, Reason reason, String remedy) {
        if (w.pending.heldFor() == code) {
            return; // already announced for this reason
        }
        w.pending = w.pending.heldFor(code);
        w.emit(new FailoverHeld(
                w.group.id(),
                w.pending.failoverId(),
                w.pending.from(),
                w.pending.to(),
                w.pending.kind(),
                remedy,
                w.now,
                reason,
                w.evidence()));
    }

    private void start(Work w) {
        Pending p = w.pending;
        long epoch = w.epoch + 1;
        Runbook runbook = Runbook.forGroup(w.group, p.to());
        Map<String, StepRun> steps = new LinkedHashMap<>();
        runbook.steps().forEach(s -> steps.put(s.name(), StepRun.pending()));
        Instant detected =
                p.kind() == FailoverKind.UNPLANNED && w.primaryDownSince != null ? w.primaryDownSince : p.since();
        w.failover = new FailoverRun(
                p.failoverId(),
                p.kind(),
                p.from(),
                p.to(),
                epoch,
                w.now,
                detected,
                lagInto(w, p.from(), p.to()),
                steps);
        w.epoch = epoch;
        if (p.kind() == FailoverKind.UNPLANNED) {
            // the cooldown and the rate limit count failovers, not switchovers and failbacks a person asked for
            w.failoverStarts = new ArrayList<>(w.failoverStarts);
            w.failoverStarts.add(w.now);
        }
        if (p.kind() != FailoverKind.DRILL) {
            w.reprotect = null; // the failover that follows this one's completion re-protects anew
        }
        ReasonCode why =
                switch (p.kind()) {
                    case UNPLANNED -> p.approved() ? ReasonCode.FAILOVER_APPROVED : ReasonCode.FAILOVER_AUTOMATIC;
                    case PLANNED_SWITCHOVER -> ReasonCode.SWITCHOVER_REQUESTED;
                    case DRILL -> ReasonCode.DRILL_REQUESTED;
                };
        String sentence =
                switch (why) {
                    case FAILOVER_APPROVED -> p.principal() + " approved the failover from " + p.from() + " to "
                            + p.to() + ".";
                    case SWITCHOVER_REQUESTED -> "planned switchover from " + p.from() + " to " + p.to()
                            + (p.approvedPast() != null
                                    ? ", approved by " + p.principal() + " past " + p.approvedPast() + "."
                                    : ", asked for by " + p.principal() + ": the lag is zero.");
                    case DRILL_REQUESTED -> "drill of the failover from " + p.from() + " to " + p.to()
                            + ": commands run dry.";
                    default -> "the primary " + p.from() + " is down by quorum and every safety rule passed.";
                };
        w.emit(new FailoverStarted(
                w.group.id(),
                p.failoverId(),
                p.from(),
                p.to(),
                p.kind(),
                epoch,
                wire(w.group.strategy()),
                w.now,
                Reason.of(why, sentence + " Epoch " + epoch + "."),
                w.evidence()));
        w.pending = null;
        w.failover = runner.begin(w.failover, w);
    }

    private Long lagInto(Work w, String source, String target) {
        Long worst = null;
        for (String name : w.links) {
            ReplicationLink link = w.layout.link(name);
            if (link == null || !link.from().equals(source) || !link.to().equals(target)) {
                continue;
            }
            LagView lag = w.lags.get(link.name());
            if (lag != null && lag.lagMillis() != null) {
                worst = worst == null ? lag.lagMillis() : Math.max(worst, lag.lagMillis());
            }
        }
        return worst;
    }

    // 4. Run the failover in progress (the runbook runner moves its steps).

    private void runFailover(Work w) {
        StepRunner.Progress<FailoverRun> progress = runner.advance(w.failover, w);
        w.failover = progress.run();
        FailoverRun completed = progress.completed();
        if (completed != null && !completed.dryRun()) {
            w.primary = completed.to();
            if (completed.kind() == FailoverKind.UNPLANNED) {
                w.lastFailoverAt = w.now;
            }
            w.primaryDownSince = null;
            newTopology(w, completed);
        }
    }

    /**
     * A failover completed: the new primary was promoted, so no link into it or out of the old primary replicates
     * any more. Re-protect, if anything can be re-protected, is needed from now.
     */
    private void newTopology(Work w, FailoverRun completed) {
        Region old = w.group.region(completed.from()).orElseThrow();
        Region current = w.group.region(completed.to()).orElseThrow();
        boolean promoted = Runbook.forGroup(w.group, completed.to()).steps().stream()
                .anyMatch(s ->
                        s.action() == StepAction.PROMOTE_REPLICA || s.action() == StepAction.FAILOVER_GLOBAL_CLUSTER);
        List<String> broken = new ArrayList<>();
        if (promoted) {
            List<String> kept = new ArrayList<>();
            for (String name : w.links) {
                ReplicationLink link = w.layout.link(name);
                if (link == null || link.from().equals(old.name()) || link.to().equals(current.name())) {
                    broken.add(name);
                } else {
                    kept.add(name);
                }
            }
            w.links = kept;
        }
        w.emit(new TopologyChanged(
                w.group.id(),
                w.primary,
                topologyLinks(w),
                completed.epoch(),
                completed.id(),
                w.now,
                Reason.of(
                        ReasonCode.TOPOLOGY_CHANGED,
                        current.name() + " is primary"
                                + (broken.isEmpty()
                                        ? "."
                                        : "; " + String.join(", ", broken) + " no longer replicate"
                                                + (w.links.isEmpty() ? ": nothing does." : ".")))));
        if (w.group
                .linkBetween(current.name(), old.name())
                .map(l -> w.links.contains(l.name()))
                .orElse(false)) {
            return; // the old primary replicates from the new one already (replication the plan says runs both ways)
        }
        ReprotectRunbook.forGroup(w.group, old.name(), current.name()).ifPresent(runbook -> {
            Map<String, StepRun> steps = new LinkedHashMap<>();
            runbook.steps().forEach(s -> steps.put(s.name(), StepRun.pending()));
            w.reprotect = ReprotectRun.needed(
                    w.group.id(),
                    completed.id(),
                    completed.epoch(),
                    old.name(),
                    current.name(),
                    completed.rpoMillis(),
                    w.now,
                    steps);
        });
    }

    private static List<TopologyLink> topologyLinks(Work w) {
        List<TopologyLink> links = new ArrayList<>();
        for (String name : w.links) {
            ReplicationLink link = w.layout.link(name);
            if (link != null) {
                links.add(new TopologyLink(name, link.from(), link.to()));
            }
        }
        return links;
    }

    // 5. Re-protect after a failover: wait for the old region, for the mode, then run its steps.

    private void runReprotect(Work w) {
        ReprotectRun r = w.reprotect;
        if (r == null) {
            return;
        }
        ReprotectRun completed = null;
        if (!r.started()) {
            RegionHealth old = w.regions.get(r.oldPrimary());
            if (old != RegionHealth.UP) {
                holdReprotect(
                        w,
                        ReasonCode.REPROTECT_WAITING_FOR_REGION,
                        "re-protect waits: " + r.oldPrimary() + " is " + (old == null ? RegionHealth.UNKNOWN : old)
                                + " by quorum; it starts when " + r.oldPrimary() + " is UP.",
                        "bring " + r.oldPrimary() + " back; re-protect starts by itself when it is UP by quorum"
                                + " (watch it with: drplane status " + w.group.id() + ")");
                return;
            }
            r = r.regionUp(w.now);
            w.reprotect = r;
            if (w.group.mode() == Mode.OBSERVE) {
                holdReprotect(
                        w,
                        ReasonCode.OBSERVE_MODE,
                        r.oldPrimary() + " is up again; in observe mode re-protect is recorded, not commanded.",
                        "set mode: automatic or approval in the plan to act");
                return;
            }
            if (w.group.mode() == Mode.APPROVAL && r.approvedBy() == null) {
                holdReprotect(
                        w,
                        ReasonCode.APPROVAL_REQUIRED,
                        r.oldPrimary() + " is up again; re-protect is ready and the group is in approval mode.",
                        "approve with: drplane approve " + w.group.id());
                return;
            }
            long epoch = w.epoch + 1;
            w.epoch = epoch;
            r = r.start(epoch, w.now);
            w.emit(new ReprotectStarted(
                    w.group.id(),
                    r.id(),
                    r.failoverId(),
                    r.oldPrimary(),
                    r.newPrimary(),
                    epoch,
                    w.now,
                    r.approvedBy() == null
                            ? Reason.of(
                                    ReasonCode.REPROTECT_AUTOMATIC,
                                    r.oldPrimary() + " is up by quorum: re-protect makes it a standby of "
                                            + r.newPrimary() + " again. Epoch " + epoch + ".")
                            : Reason.of(
                                    ReasonCode.REPROTECT_APPROVED,
                                    r.approvedBy() + " approved re-protect of " + r.oldPrimary() + " as a standby of "
                                            + r.newPrimary() + ". Epoch " + epoch + "."),
                    w.evidence()));
            r = reprotectRunner.begin(r, w);
        } else {
            StepRunner.Progress<ReprotectRun> progress = reprotectRunner.advance(r, w);
            r = progress.run();
            completed = progress.completed();
        }
        linkWhenReplicating(w, r != null ? r : completed);
        w.reprotect = r;
    }

    /**
     * The new link exists once the replica does (an Aurora global database re-adds the region itself, from the
     * start): from then on the tracker measures it, which the verify step waits for.
     */
    private void linkWhenReplicating(Work w, ReprotectRun r) {
        ReplicationLink link = ReprotectRunner.link(w.group, r);
        if (link == null || w.links.contains(link.name())) {
            return;
        }
        StepRun create = r.steps().get(ReprotectRunbook.CREATE_REPLICA);
        boolean replicates = create != null
                ? create.status() == StepRun.Status.DONE
                : ReprotectRunbook.replicatesDatabase(
                        w.group,
                        w.group.region(r.oldPrimary()).orElseThrow(),
                        w.group.region(r.newPrimary()).orElseThrow());
        if (!replicates) {
            return;
        }
        List<String> links = new ArrayList<>(w.links);
        links.add(link.name());
        w.links = links;
        w.emit(new TopologyChanged(
                w.group.id(),
                w.primary,
                topologyLinks(w),
                r.epoch(),
                r.id(),
                w.now,
                Reason.of(
                        ReasonCode.TOPOLOGY_CHANGED,
                        link.name() + " replicates " + link.from() + " into " + link.to() + " now.")));
    }

    private void holdReprotect(Work w, ReasonCode code, String sentence, String remedy) {
        ReprotectRun r = w.reprotect;
        if (r.heldFor() == code) {
            return; // already announced for this reason
        }
        w.reprotect = r.heldFor(code);
        w.emit(new ReprotectHeld(
                w.group.id(),
                r.id(),
                r.failoverId(),
                r.oldPrimary(),
                r.newPrimary(),
                remedy,
                w.now,
                Reason.of(code, sentence),
                w.evidence()));
    }

    private void commandResult(Work w, String commandId, boolean succeeded, Reason failure) {
        if (w.failover != null) {
            w.failover = runner.onResult(w.failover, commandId, succeeded, failure, w);
        }
        if (w.reprotect != null && w.reprotect.started()) {
            w.reprotect = reprotectRunner.onResult(w.reprotect, commandId, succeeded, failure, w);
        }
    }

    static String wire(Enum<?> value) {
        return WireName.of(value);
    }

    /** The decider's scratch space for one input: copies of the state, changed freely, frozen again at the end. */
    private static final class Work implements RunContext {
        final Group group;
        final String inputId;
        final List<EventData> emitted = new ArrayList<>();
        final Map<String, String> facts = new TreeMap<>();
        long epoch;
        String primary;
        final Layout layout;
        final Cow<Sighting> sightings;
        final Cow<RegionHealth> regions;
        final Cow<LagView> lags;
        Map<String, Instant> recoveryPoints;
        Analysis analysis;
        Instant primaryDownSince;
        FailoverRun failover;
        Pending pending;
        /** The state's list as it is; replaced by a copy when a failover starts. */
        List<Instant> failoverStarts;

        Instant lastFailoverAt;
        Instant now;
        List<String> links;
        ReprotectRun reprotect;

        Work(Group group, Layout layout, GroupState s, String inputId) {
            this.group = group;
            this.layout = layout;
            this.inputId = inputId;
            epoch = s.epoch();
            primary = s.primary();
            sightings = new Cow<>(s.sightings());
            regions = new Cow<>(s.regions());
            lags = new Cow<>(s.lags());
            recoveryPoints = s.recoveryPoints();
            analysis = s.analysis();
            primaryDownSince = s.primaryDownSince();
            failover = s.failover();
            pending = s.pending();
            failoverStarts = s.failoverStarts();
            lastFailoverAt = s.lastFailoverAt();
            now = s.now();
            links = s.links();
            reprotect = s.reprotect();
        }

        void recoveryPoint(String region, Instant dataTime) {
            Instant newest = recoveryPoints.get(region);
            if (newest == null || dataTime.isAfter(newest)) {
                Map<String, Instant> copy = new TreeMap<>(recoveryPoints);
                copy.put(region, dataTime);
                recoveryPoints = copy;
            }
        }

        String nextFailoverId() {
            return group.id() + "-" + (epoch + 1) + "-" + now.toEpochMilli();
        }

        @Override
        public Group group() {
            return group;
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public RegionHealth health(String region) {
            return regions.get(region);
        }

        @Override
        public void emit(EventData data) {
            emitted.add(data);
        }

        @Override
        public LagView lag(String link) {
            return lags.get(link);
        }

        @Override
        public Evidence evidence() {
            Map<String, String> all = new TreeMap<>(facts);
            regions.view().forEach((region, health) -> all.putIfAbsent("region." + region, health.name()));
            lags.view()
                    .forEach((link, lag) -> all.put(
                            "lag." + link,
                            lag.status() + (lag.lagMillis() == null ? "" : " " + lag.lagMillis() + " ms")));
            all.put("primary", primary);
            all.put("links", links == null || links.isEmpty() ? "none" : String.join(",", links));
            List<String> ids =
                    lags.view().values().stream().map(LagView::eventId).sorted().toList();
            return new Evidence(ids, all);
        }

        GroupState state() {
            return new GroupState(
                    group.id(),
                    epoch,
                    primary,
                    sightings.freeze(),
                    regions.freeze(),
                    lags.freeze(),
                    recoveryPoints,
                    analysis,
                    primaryDownSince,
                    failover,
                    pending,
                    failoverStarts,
                    lastFailoverAt,
                    now,
                    layout.fingerprint,
                    links,
                    reprotect);
        }
    }
}
