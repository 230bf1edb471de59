package io.drplane.plan;

import java.util.List;

/** The whole plan: the vantage points that probe, and the failover groups they protect. */
public record Plan(int version, List<String> vantagePoints, List<Group> groups) {
    public Plan {
        vantagePoints = List.copyOf(vantagePoints);
        groups = List.copyOf(groups);
    }

    /** Every region named anywhere in the plan, sorted: one command topic each. */
    public java.util.SortedSet<String> regions() {
        java.util.SortedSet<String> regions = new java.util.TreeSet<>();
        groups.forEach(g -> g.regions().forEach(r -> regions.add(r.name())));
        return java.util.Collections.unmodifiableSortedSet(regions);
    }

    public java.util.Optional<Group> group(String id) {
        return groups.stream().filter(g -> g.id().equals(id)).findFirst();
    }
}
