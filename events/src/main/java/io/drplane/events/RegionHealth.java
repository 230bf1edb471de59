package io.drplane.events;

/** A region's health as decided by quorum over fresh vantage points. */
public enum RegionHealth {
    UP,
    DEGRADED,
    DOWN,
    UNKNOWN
}
