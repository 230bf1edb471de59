package io.drplane.backupscheduler.run;

import io.drplane.backupscheduler.engine.RecoveryPoint;
import java.util.Optional;

/**
 * What a restore test checks once the restored resource is available: empty when it holds what it should, else why
 * not. The default accepts an available resource; a deployment plugs in its own (a SQL query, an object count).
 */
@FunctionalInterface
public interface RestoreValidator {

    RestoreValidator AVAILABLE = (point, restoredName) -> Optional.empty();

    Optional<String> problem(RecoveryPoint point, String restoredName);
}
