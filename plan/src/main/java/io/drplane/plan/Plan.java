package io.drplane.plan;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** The whole plan: the vantage points that probe, and the failover groups they protect. */
public record Plan(int version, List<String> vantagePoints, List<Group> groups) {
    public Plan {
        vantagePoints = List.copyOf(vantagePoints);
        groups = List.copyOf(groups);
    }

    /** Every region named anywhere in the plan, sorted: one command topic each. */
    public SortedSet<String> regions() {
        SortedSet<String> regions = new TreeSet<>();
        groups.forEach(g -> g.regions().forEach(r -> regions.add(r.name())));
        return Collections.unmodifiableSortedSet(regions);
    }

    public Optional<Group> group(String id) {
        return groups.stream().filter(g -> g.id().equals(id)).findFirst();
    }
}
