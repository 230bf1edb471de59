package io.drplane.coordinator.decider;

import io.drplane.plan.Group;
import io.drplane.plan.Region;
import java.util.List;

/**
 * The keys of one group's state, computed once from the plan, so deciding does not build strings or search lists
 * on every event.
 */
final class Layout {

    /** One region as seen from one vantage point: the key of its sighting. */
    record VantageView(String vantage, String seenKey) {
    }

    record RegionView(Region region, List<VantageView> vantages) {
    }

    /** Where one (region, target, vantage point) lives in the state: the sighting's key and the target's index in it. */
    record Keys(String seenKey, int target) {
    }

    final List<RegionView> regions;
    /**
     * The plan's regions and their targets, in order ("us-east-1:web,api;us-west-2:web"). Breakers are kept by target
     * index, so a state written under another layout cannot be read under this one.
     */
    final String fingerprint;
    /** region -> target -> vantage point -> keys; null where the plan has no such target or vantage point. */
    private final java.util.Map<String, java.util.Map<String, java.util.Map<String, Keys>>> keys = new java.util.HashMap<>();

    Layout(Group group, List<String> vantagePoints) {
        this.regions = group.regions().stream().map(region -> {
            for (int i = 0; i < region.targets().size(); i++) {
                int index = i;
                String target = region.targets().get(i).name();
                vantagePoints.forEach(v -> keys.computeIfAbsent(region.name(), r -> new java.util.HashMap<>())
                        .computeIfAbsent(target, x -> new java.util.HashMap<>())
                        .put(v, new Keys(GroupState.seenKey(region.name(), v), index)));
            }
            List<VantageView> views = vantagePoints.stream().map(v -> new VantageView(v, GroupState.seenKey(region.name(), v))).toList();
            return new RegionView(region, views);
        }).toList();
        this.fingerprint = String.join(";", group.regions().stream()
                .map(r -> r.name() + ":" + String.join(",", r.targets().stream().map(t -> t.name()).toList())).toList());
    }

    /** The keys of an observation, or null when it is not about a target and vantage point of this plan. */
    Keys keys(String region, String target, String vantage) {
        var targets = keys.get(region);
        var vantages = targets == null ? null : targets.get(target);
        return vantages == null ? null : vantages.get(vantage);
    }
}
