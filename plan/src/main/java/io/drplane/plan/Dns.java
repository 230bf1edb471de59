package io.drplane.plan;

/** The Route 53 name that clients use and how it routes between regions. */
public record Dns(String hostedZoneId, String recordName, String recordType, Routing routing, long ttl) {

    public enum Routing {
        FAILOVER,
        WEIGHTED
    }
}
