package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.util.List;
import java.util.Optional;

/** A protected application: its regions and their roles, what is probed, replicated and backed up, and how it fails over. */
public record Group(
        String id,
        String description,
        Strategy strategy,
        Mode mode,
        Objectives objectives,
        List<Region> regions,
        List<ReplicationLink> replication,
        @Nullable Dns dns,
        @Nullable BackupPlan backup,
        FailoverPolicy failover,
        List<NotificationRoute> notifications) {
    public Group {
        regions = List.copyOf(regions);
        replication = List.copyOf(replication);
        notifications = List.copyOf(notifications);
    }

    public Region primary() {
        return regions.stream()
                .filter(r -> r.role() == Region.Role.PRIMARY)
                .findFirst()
                .orElseThrow();
    }

    /**
     * The replication links from one region into another. A link is the plan's, so it keeps its direction after a failover:
     * from the region that is primary now, into a standby, only if the plan says so.
     */
    public List<ReplicationLink> replicationBetween(String from, String to) {
        return replication.stream()
                .filter(l -> l.from().equals(from) && l.to().equals(to))
                .toList();
    }

    public Optional<Region> region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * Every link that can exist between this group's regions: the plan's, and each one reversed (unless the plan has
     * a link that way already), which re-protect creates after a failover. Which of them exist now is the
     * coordinator's live topology.
     */
    public List<ReplicationLink> possibleLinks() {
        List<ReplicationLink> all = new java.util.ArrayList<>(replication);
        for (ReplicationLink link : replication) {
            if (replicationBetween(link.to(), link.from()).isEmpty()) {
                all.add(link.reversed(region(link.from())
                        .map(Region::database)
                        .map(Database::identifier)
                        .orElse(null)));
            }
        }
        return all;
    }

    /** A planned or reversed link by name. */
    public Optional<ReplicationLink> link(String name) {
        return possibleLinks().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The link that replicates {@code from} into {@code to}, the plan's or a reversed one. */
    public Optional<ReplicationLink> linkBetween(String from, String to) {
        return possibleLinks().stream()
                .filter(l -> l.from().equals(from) && l.to().equals(to))
                .findFirst();
    }
}
