package io.drplane.events;

/** Which kind of database a promote command acts on. */
public enum DatabaseKind {
    RDS_INSTANCE,
    RDS_CLUSTER
}
