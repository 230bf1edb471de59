package io.drplane.events;

import java.time.Instant;

/** A region's health by quorum changed. */
public record RegionStateChanged(
        String group,
        String region,
        RegionHealth from,
        RegionHealth to,
        int votesDown,
        int votesUp,
        int freshVantages,
        int quorum,
        Instant at,
        Reason reason,
        Evidence evidence)
        implements GroupEvent {}
