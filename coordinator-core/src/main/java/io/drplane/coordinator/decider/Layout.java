package io.drplane.coordinator.decider;

import io.drplane.coordinator.state.GroupState;
import io.drplane.plan.Group;
import io.drplane.plan.Region;
import io.drplane.plan.ReplicationLink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of one group's state, computed once from the plan, so deciding does not build strings or search lists
 * on every event.
 */
final class Layout {

    /** One region as seen from one vantage point: the key of its sighting. */
    record VantageView(String vantage, String seenKey) {}

    record RegionView(Region region, List<VantageView> vantages) {}

    /** Where one (region, target, vantage point) lives in the state: the sighting's key and the target's index in it. */
    record Keys(String seenKey, int target) {}

    final List<RegionView> regions;
    /**
     * The plan's regions and their targets, in order ("us-east-1:web,api;us-west-2:web"). Breakers are kept by target
     * index, so a state written under another layout cannot be read under this one.
     */
    final String fingerprint;

    /** Every link that can exist between the group's regions (the plan's and reversed ones), by name. */
    private final Map<String, ReplicationLink> links = new HashMap<>();

    private final Names names;
    /** The plan-wide ids of this group's regions, of each region's targets, and of the vantage points, in plan order. */
    private final int[] regionIds;

    private final int[][] targetIds;
    private final int[] vantageIds;
    /** [region][target][vantage point], indexes as in the id arrays. */
    private final Keys[][][] keys;

    Layout(Group group, List<String> vantagePoints, Names names) {
        this.names = names;
        group.possibleLinks().forEach(l -> links.put(l.name(), l));
        List<Region> planned = group.regions();
        regionIds = new int[planned.size()];
        targetIds = new int[planned.size()][];
        vantageIds = vantagePoints.stream().mapToInt(names::add).toArray();
        keys = new Keys[planned.size()][][];
        for (int r = 0; r < planned.size(); r++) {
            Region region = planned.get(r);
            regionIds[r] = names.add(region.name());
            targetIds[r] =
                    region.targets().stream().mapToInt(t -> names.add(t.name())).toArray();
            keys[r] = new Keys[region.targets().size()][vantagePoints.size()];
            for (int t = 0; t < region.targets().size(); t++) {
                for (int v = 0; v < vantagePoints.size(); v++) {
                    keys[r][t][v] = new Keys(GroupState.seenKey(region.name(), vantagePoints.get(v)), t);
                }
            }
        }
        this.regions = planned.stream()
                .map(region -> new RegionView(
                        region,
                        vantagePoints.stream()
                                .map(v -> new VantageView(v, GroupState.seenKey(region.name(), v)))
                                .toList()))
                .toList();
        this.fingerprint = String.join(
                ";",
                planned.stream()
                        .map(r -> r.name() + ":"
                                + String.join(
                                        ",",
                                        r.targets().stream().map(t -> t.name()).toList()))
                        .toList());
    }

    /** A planned or reversed link by name, or null. */
    ReplicationLink link(String name) {
        return links.get(name);
    }

    /** The keys of an observation, or null when it is not about a target and vantage point of this plan. */
    Keys keys(String region, String target, String vantage) {
        int r = indexOf(regionIds, names.idOf(region));
        int t = r < 0 ? -1 : indexOf(targetIds[r], names.idOf(target));
        int v = t < 0 ? -1 : indexOf(vantageIds, names.idOf(vantage));
        return v < 0 ? null : keys[r][t][v];
    }

    /** A group has a few regions, targets and vantage points: a scan of a few ints beats a hash lookup per level. */
    private static int indexOf(int[] ids, int id) {
        if (id < 0) {
            return -1;
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Plan-wide ids for the names of regions, targets and vantage points. Most groups share a handful of names, so an
     * observation's three names are looked up in one small map that stays in the cache, where a map per group and
     * level cost the decider half its time in cache misses (JFR's execution samples of the decider benchmark).
     */
    static final class Names {
        private final Map<String, Integer> ids = new HashMap<>();

        int add(String name) {
            return ids.computeIfAbsent(name, n -> ids.size());
        }

        /** The name's id, or -1 for a name the plan does not have. */
        int idOf(String name) {
            Integer id = ids.get(name);
            return id == null ? -1 : id;
        }
    }
}
