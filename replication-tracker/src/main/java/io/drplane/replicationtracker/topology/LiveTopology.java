package io.drplane.replicationtracker.topology;

import io.drplane.events.TopologyChanged;
import io.drplane.events.TopologyLink;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which replication links exist now, per group, as the coordinator last published them: the tracker measures those,
 * not the plan's static list. Until the coordinator has said anything about a group, its links are the plan's (every
 * link but those into the primary).
 */
public final class LiveTopology {

    private final Map<String, Set<String>> planned = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> live = new ConcurrentHashMap<>();

    public LiveTopology(Plan plan) {
        for (Group group : plan.groups()) {
            String primary = group.primary().name();
            planned.put(
                    group.id(),
                    group.replication().stream()
                            .filter(l -> !l.to().equals(primary))
                            .map(l -> l.name())
                            .collect(Collectors.toUnmodifiableSet()));
        }
    }

    /** Whether {@code link} of {@code group} replicates now. */
    public boolean measures(String group, String link) {
        Set<String> links = live.getOrDefault(group, planned.getOrDefault(group, Set.of()));
        return links.contains(link);
    }

    /** The coordinator's word on a group's topology; a group the plan does not have is ignored. */
    public void apply(TopologyChanged changed) {
        if (planned.containsKey(changed.group())) {
            live.put(
                    changed.group(),
                    changed.links().stream().map(TopologyLink::name).collect(Collectors.toUnmodifiableSet()));
        }
    }
}
