package io.drplane.coordinator.view;

import io.drplane.coordinator.replay.Replayer;
import io.drplane.coordinator.state.GroupState;
import io.drplane.coordinator.state.ReprotectRun;
import io.drplane.coordinator.state.Sighting;
import io.drplane.coordinator.view.GroupView.DecisionView;
import io.drplane.coordinator.view.GroupView.FailoverView;
import io.drplane.coordinator.view.GroupView.LinkLag;
import io.drplane.coordinator.view.GroupView.PendingView;
import io.drplane.coordinator.view.GroupView.StepView;
import io.drplane.coordinator.view.GroupView.VantageView;
import io.drplane.events.Event;
import io.drplane.events.Reason;
import io.drplane.plan.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Builds the API's {@link GroupView}s from the plan and the coordinator's committed state. */
public final class GroupViews {

    private GroupViews() {}

    /** The list entry: the group's state without vantage points, lag and timeline. */
    public static GroupView summary(Group group, Optional<GroupState> state) {
        return view(group, state, null, null);
    }

    /** The whole view, with the latest decisions. */
    public static GroupView detail(
            Group group,
            Optional<GroupState> state,
            List<Event<?>> timeline,
            Map<String, GroupView.ObserverClock> observerClocks) {
        return view(group, state, timeline, new TreeMap<>(observerClocks));
    }

    private static GroupView view(
            Group group,
            Optional<GroupState> state,
            List<Event<?>> timeline,
            Map<String, GroupView.ObserverClock> observerClocks) {
        boolean detail = timeline != null;
        List<DecisionView> decisions =
                detail ? timeline.stream().map(GroupViews::decision).toList() : null;
        if (state.isEmpty()) {
            return new GroupView(
                    group.id(),
                    group.strategy().name(),
                    group.mode().name(),
                    group.primary().name(),
                    null,
                    null,
                    null,
                    Map.of(),
                    null,
                    null,
                    detail ? Map.of() : null,
                    detail ? Map.of() : null,
                    decisions,
                    observerClocks,
                    detail ? Map.of() : null,
                    links(
                            group,
                            group.replication().stream()
                                    .filter(l -> !l.to().equals(group.primary().name()))
                                    .map(l -> l.name())
                                    .toList()),
                    null,
                    group.primary().name());
        }
        GroupState s = state.get();
        Map<String, String> regions = new TreeMap<>();
        s.regions().forEach((region, health) -> regions.put(region, health.name()));
        Map<String, VantageView> vantages = null;
        Map<String, LinkLag> lags = null;
        Map<String, String> recoveryPoints = null;
        if (detail) {
            recoveryPoints = new TreeMap<>();
            Map<String, String> points = recoveryPoints;
            s.recoveryPoints().forEach((region, at) -> points.put(region, at.toString()));
            vantages = new TreeMap<>();
            for (Map.Entry<String, Sighting> e : s.sightings().entrySet()) {
                vantages.put(e.getKey(), vantage(e.getValue()));
            }
            lags = new TreeMap<>();
            Map<String, LinkLag> into = lags;
            s.lags()
                    .forEach((link, lag) -> into.put(
                            link, new LinkLag(lag.status().name(), lag.lagMillis(), String.valueOf(lag.observedAt()))));
        }
        return new GroupView(
                group.id(),
                group.strategy().name(),
                group.mode().name(),
                s.primary(),
                s.epoch(),
                s.analysis().name(),
                s.analysis().description(),
                regions,
                failover(s),
                pending(s),
                vantages,
                lags,
                decisions,
                observerClocks,
                recoveryPoints,
                links(group, s.links() == null ? List.of() : s.links()),
                reprotect(s),
                group.primary().name());
    }

    private static List<GroupView.LinkView> links(Group group, List<String> names) {
        List<GroupView.LinkView> links = new ArrayList<>();
        for (String name : names) {
            group.link(name).ifPresent(l -> links.add(new GroupView.LinkView(name, l.from(), l.to())));
        }
        return links;
    }

    private static GroupView.ReprotectView reprotect(GroupState s) {
        ReprotectRun r = s.reprotect();
        if (r == null) {
            return null;
        }
        List<StepView> steps = new ArrayList<>();
        r.steps()
                .forEach((name, step) ->
                        steps.add(new StepView(name, step.status().name(), step.attempt())));
        return new GroupView.ReprotectView(
                r.id(),
                r.failoverId(),
                r.newPrimary(),
                r.oldPrimary(),
                r.started() && r.heldFor() == null ? "RUNNING" : "WAITING",
                r.heldFor() == null ? null : r.heldFor().name(),
                r.started() ? r.epoch() : null,
                steps);
    }

    private static FailoverView failover(GroupState s) {
        if (s.failover() == null) {
            return null;
        }
        List<StepView> steps = new ArrayList<>();
        s.failover()
                .steps()
                .forEach((name, step) ->
                        steps.add(new StepView(name, step.status().name(), step.attempt())));
        return new FailoverView(
                s.failover().id(),
                s.failover().kind().name(),
                s.failover().from(),
                s.failover().to(),
                s.failover().epoch(),
                steps);
    }

    private static PendingView pending(GroupState s) {
        if (s.pending() == null) {
            return null;
        }
        return new PendingView(
                s.pending().failoverId(),
                s.pending().kind().name(),
                s.pending().to(),
                s.pending().heldFor() == null ? null : s.pending().heldFor().name(),
                s.pending().approved());
    }

    private static VantageView vantage(Sighting sighting) {
        List<String> breakers = new ArrayList<>();
        for (int i = 0; i < sighting.size(); i++) {
            breakers.add(
                    sighting.breaker(i) == null
                            ? "CLOSED"
                            : sighting.breaker(i).state().name());
        }
        return new VantageView(String.valueOf(sighting.lastSeen()), breakers);
    }

    static DecisionView decision(Event<?> event) {
        Optional<Reason> reason = Replayer.reasonOf(event);
        return new DecisionView(
                event.time().toString(),
                event.type().shortName(),
                reason.map(r -> r.code().name()).orElse(null),
                reason.map(Reason::message).orElse(null));
    }
}
