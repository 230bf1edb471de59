package io.drplane.events;

/** What a verify command checks about the end state. */
public enum VerifyKind {
    DATABASE_WRITABLE,
    CAPACITY_IN_SERVICE,
    DNS_POINTS_TO,
    /** The database is a replica of the resource named in {@code expected} (re-protect). */
    DATABASE_REPLICATING_FROM,
    /** The region's DNS record has the failover role (or weight) in {@code expected}: SECONDARY, or 0. */
    DNS_RECORD_ROLE
}
