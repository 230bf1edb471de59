package io.drplane.events;

/** Where an observation came from: our own probe, or an AWS-native health signal. */
public enum ProbeSource {
    HTTP,
    HTTPS,
    TCP,
    ROUTE53_HEALTH_CHECK,
    CLOUDWATCH_ALARM,
    ELB_TARGET_HEALTH
}
