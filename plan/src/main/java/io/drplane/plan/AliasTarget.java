package io.drplane.plan;

/** An alias record target, for example an Application Load Balancer. */
public record AliasTarget(String hostedZoneId, String dnsName, boolean evaluateTargetHealth) {}
