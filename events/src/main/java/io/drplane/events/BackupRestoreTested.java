package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * A restore test ran: a recovery point restored into a region under a temporary name, validated, and deleted.
 *
 * @param restoreMillis from the restore call to the restored resource available; null when it never became available
 * @param rtoMillis     the group's RTO, what the restore time is held to
 * @param reason        {@code RESTORE_TEST_PASSED}, {@code RESTORE_SLOWER_THAN_RTO} or {@code RESTORE_TEST_FAILED}
 */
public record BackupRestoreTested(
        String group,
        String rule,
        String region,
        String recoveryPointArn,
        @Nullable Long restoreMillis,
        long rtoMillis,
        boolean validated,
        Instant at,
        Reason reason)
        implements GroupEvent {}
