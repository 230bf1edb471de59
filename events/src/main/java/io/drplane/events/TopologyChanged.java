package io.drplane.events;

import java.time.Instant;
import java.util.List;

/**
 * The live topology of a group changed: which region is primary and which replication links exist now. Published on
 * the compacted {@code dr.topology.v1} keyed by group, so a reader that starts from the beginning learns every
 * group's current topology; the replication tracker measures exactly these links.
 *
 * @param cause the failover or re-protect that changed it
 */
public record TopologyChanged(
        String group, String primary, List<TopologyLink> links, long epoch, String cause, Instant at, Reason reason)
        implements GroupEvent {

    public TopologyChanged {
        links = List.copyOf(links);
    }
}
