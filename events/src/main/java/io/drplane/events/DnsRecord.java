package io.drplane.events;

import jakarta.annotation.Nullable;
import java.util.List;

/** Route 53 record to upsert. For failover records set {@code failover}; for weighted records {@code weight}; alias records set {@code alias}, others {@code values}. */
public record DnsRecord(
        String name,
        String type,
        @Nullable String setIdentifier,
        @Nullable String failover,
        @Nullable Long weight,
        @Nullable Long ttl,
        @Nullable List<String> values,
        @Nullable AliasTarget alias) {
    public DnsRecord {
        values = values == null ? null : List.copyOf(values);
    }
}
