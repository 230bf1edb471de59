package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.time.Duration;

/**
 * A restore test, as AWS Backup's restore testing does it: on a schedule, restore a recovery point of {@code rule} in
 * {@code region} under a temporary name, wait until it is available, validate it, time it against the group's RTO, and
 * delete it.
 *
 * @param pick   {@code latest}, or {@code random} among the points of the last {@code window}
 * @param region     where the restore runs: the region a failover would restore in (the rule's first copy region by
 *                   default)
 * @param validation a SQL check of the restored data; null: available is enough
 */
public record RestoreTest(
        String name,
        String schedule,
        String rule,
        String region,
        Pick pick,
        Duration window,
        @Nullable RestoreValidation validation) {

    public enum Pick {
        LATEST,
        RANDOM
    }
}
