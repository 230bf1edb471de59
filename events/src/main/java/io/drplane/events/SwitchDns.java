package io.drplane.events;

import java.time.Instant;
import java.util.List;

/** Upsert Route 53 records so that traffic goes to the new primary. */
public record SwitchDns(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        Instant issuedAt,
        long timeoutMillis,
        boolean dryRun,
        String hostedZoneId,
        List<DnsRecord> records,
        Reason reason,
        Evidence evidence)
        implements Command {
    public SwitchDns {
        records = List.copyOf(records);
    }
}
