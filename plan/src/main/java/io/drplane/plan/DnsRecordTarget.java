package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.util.List;

/** A region's record behind the group's DNS name: alias to a load balancer, or plain values. */
public record DnsRecordTarget(
        String setIdentifier, @Nullable AliasTarget alias, List<String> values, @Nullable String healthCheckId) {
    public DnsRecordTarget {
        values = List.copyOf(values);
    }
}
