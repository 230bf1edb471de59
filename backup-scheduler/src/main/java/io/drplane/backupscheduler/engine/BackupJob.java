package io.drplane.backupscheduler.engine;

import io.drplane.plan.Lifecycle;
import java.time.Instant;

/**
 * One backup of one resource for one scheduled run.
 *
 * @param name      the idempotency key: the same for every attempt of this run, so a repeated start finds the first
 * @param lifecycle when the recovery point moves to cold storage and is deleted, counted from its creation
 */
public record BackupJob(
        String group,
        String rule,
        String region,
        String vault,
        ResourceArn resource,
        String name,
        Instant scheduledFor,
        Instant startBy,
        Instant completeBy,
        Lifecycle lifecycle) {}
