package io.drplane.plan;

import jakarta.annotation.Nullable;

/** The database a failover promotes in this region. */
public record Database(Kind kind, String identifier, @Nullable String globalClusterIdentifier) {

    public enum Kind {
        RDS_INSTANCE,
        RDS_CLUSTER,
        AURORA_GLOBAL
    }
}
