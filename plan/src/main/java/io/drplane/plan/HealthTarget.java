package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** What a health monitor probes in a region, and how. */
public record HealthTarget(
        String name,
        Kind kind,
        @Nullable URI url,
        String method,
        Map<String, String> headers,
        int expectStatusFrom,
        int expectStatusTo,
        @Nullable String bodyContains,
        @Nullable String bodyRegex,
        boolean followRedirects,
        @Nullable String host,
        int port,
        Duration interval,
        Duration connectTimeout,
        Duration responseTimeout,
        @Nullable String healthCheckId,
        @Nullable String alarmName,
        @Nullable String targetGroupArn) {
    public HealthTarget {
        headers = Map.copyOf(headers);
    }

    public enum Kind {
        HTTP,
        HTTPS,
        TCP,
        ROUTE53_HEALTH_CHECK,
        CLOUDWATCH_ALARM,
        ELB_TARGET_HEALTH
    }
}
