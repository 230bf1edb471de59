package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.util.List;

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
        return regions.stream().filter(r -> r.role() == Region.Role.PRIMARY).findFirst().orElseThrow();
    }

    public java.util.Optional<Region> region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
