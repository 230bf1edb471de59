package io.drplane.coordinator.state;

import io.drplane.events.FailoverKind;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failover in progress: where it goes, under which epoch, since when, and where each runbook step is.
 *
 * @param detectedAt the first quorum-confirmed failure (RTO counts from here; for planned ones, the request)
 * @param rpoMillis  the replication lag when the failover started, the data it may lose (null when unknown)
 */
public record FailoverRun(
        String id,
        FailoverKind kind,
        String from,
        String to,
        long epoch,
        Instant startedAt,
        Instant detectedAt,
        @Nullable Long rpoMillis,
        Map<String, StepRun> steps)
        implements StepsRun<FailoverRun> {

    public FailoverRun {
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    @Override
    public FailoverRun withStep(String name, StepRun run) {
        Map<String, StepRun> next = new LinkedHashMap<>(steps);
        next.put(name, run);
        return new FailoverRun(id, kind, from, to, epoch, startedAt, detectedAt, rpoMillis, next);
    }

    @Override
    public boolean dryRun() {
        return kind == FailoverKind.DRILL;
    }
}
