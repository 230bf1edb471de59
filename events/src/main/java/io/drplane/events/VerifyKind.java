package io.drplane.events;

/** What a verify command checks about the end state. */
public enum VerifyKind {
    DATABASE_WRITABLE,
    CAPACITY_IN_SERVICE,
    DNS_POINTS_TO
}
