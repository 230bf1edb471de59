package io.drplane.events;

/** The target of a Route 53 alias record. */
public record AliasTarget(String hostedZoneId, String dnsName, boolean evaluateTargetHealth) {}
