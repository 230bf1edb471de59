package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.util.List;

/** One region of a group, its role, its health targets and the resources a failover acts on. */
public record Region(
        String name,
        Role role,
        List<HealthTarget> targets,
        @Nullable Database database,
        @Nullable Compute compute,
        @Nullable DnsRecordTarget dnsRecord) {
    public Region {
        targets = List.copyOf(targets);
    }

    public enum Role {
        PRIMARY,
        STANDBY,
        ACTIVE
    }
}
