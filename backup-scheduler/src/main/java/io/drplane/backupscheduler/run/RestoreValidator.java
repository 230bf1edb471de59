package io.drplane.backupscheduler.run;

import io.drplane.backupscheduler.engine.DatabaseEndpoint;
import io.drplane.backupscheduler.engine.RecoveryPoint;
import io.drplane.plan.RestoreTest;
import java.util.Optional;

/**
 * What a restore test checks once the restored resource is available: empty when it holds what it should, else why
 * not. The default accepts an available resource; {@link io.drplane.backupscheduler.validate.SqlValidator} runs the
 * test's SQL query against the restored database.
 */
@FunctionalInterface
public interface RestoreValidator {

    RestoreValidator AVAILABLE = restored -> Optional.empty();

    Optional<String> problem(Restored restored);

    /**
     * What a test restored: the point, the temporary name, and where the restored database answers (empty for a
     * volume or a table, or when the engine cannot say).
     */
    record Restored(RestoreTest test, RecoveryPoint point, String name, Optional<DatabaseEndpoint> endpoint) {}
}
