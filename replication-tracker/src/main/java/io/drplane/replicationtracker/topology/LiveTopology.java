package io.drplane.replicationtracker.topology;

import io.drplane.events.TopologyChanged;
import io.drplane.events.TopologyLink;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import java.time.Clock;
import java.time.Instant;
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
    /** When a link that did not exist became live: "group/link" to the tracker's time. */
    private final Map<String, Instant> liveSince = new ConcurrentHashMap<>();

    private final Clock clock;

    public LiveTopology(Plan plan, Clock clock) {
        this.clock = clock;
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

    /** The links of {@code changed} that do not exist now (what {@link #apply} would add), without applying it. */
    public java.util.List<String> appearing(TopologyChanged changed) {
        if (!planned.containsKey(changed.group())) {
            return java.util.List.of();
        }
        Set<String> before = live.getOrDefault(changed.group(), planned.get(changed.group()));
        return changed.links().stream()
                .map(TopologyLink::name)
                .filter(link -> !before.contains(link))
                .toList();
    }

    /**
     * The coordinator's word on a group's topology; a group the plan does not have is ignored. Returns the links that
     * did not exist before.
     */
    public java.util.List<String> apply(TopologyChanged changed) {
        java.util.List<String> appeared = new java.util.ArrayList<>();
        if (planned.containsKey(changed.group())) {
            Set<String> now = changed.links().stream().map(TopologyLink::name).collect(Collectors.toUnmodifiableSet());
            Set<String> before = live.getOrDefault(changed.group(), planned.get(changed.group()));
            for (String link : now) {
                if (!before.contains(link)) {
                    liveSince.put(changed.group() + "/" + link, clock.instant());
                    appeared.add(link);
                }
            }
            live.put(changed.group(), now);
        }
        return appeared;
    }

    /**
     * When the link became live, if the tracker saw it appear (a replica re-protect made): a measurement from before
     * is of an earlier resource of the same name. Null for a link live from the start.
     */
    public Instant liveSince(String group, String link) {
        return liveSince.get(group + "/" + link);
    }
}
