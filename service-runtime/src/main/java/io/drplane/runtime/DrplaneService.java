package io.drplane.runtime;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.Micronaut;
import java.util.Map;

/**
 * Starts a drplane service with the defaults they all share. Everything can be overridden by application.yml
 * and by environment variables: {@code DRPLANE_PLAN}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code DRPLANE_INSTANCE},
 * {@code MICRONAUT_SERVER_PORT}, {@code LOG_FORMAT}, {@code LOG_LEVEL}.
 */
public final class DrplaneService {

    /** Lowest precedence: these are only defaults. */
    private static final int DEFAULTS_ORDER = Integer.MIN_VALUE + 100;

    private DrplaneService() {}

    public static ApplicationContext run(String service, Class<?> mainClass, String[] args) {
        return Micronaut.build(args)
                .mainClass(mainClass)
                .banner(false)
                .propertySources(defaults(service))
                .start();
    }

    public static PropertySource defaults(String service) {
        return PropertySource.of(
                "drplane-defaults",
                Map.ofEntries(
                        Map.entry("micronaut.application.name", "drplane-" + service),
                        Map.entry("drplane.service", service),
                        Map.entry("drplane.plan", "/etc/drplane/plan.yml"),
                        Map.entry("kafka.bootstrap.servers", "127.0.0.1:9092"),
                        Map.entry("kafka.health.enabled", true),
                        // An API request is a few hundred bytes; a larger one is refused before it is read.
                        Map.entry("micronaut.server.max-request-size", 65536),
                        Map.entry("endpoints.health.enabled", true),
                        Map.entry("endpoints.health.sensitive", false),
                        Map.entry("endpoints.health.details-visible", "ANONYMOUS"),
                        Map.entry("endpoints.prometheus.enabled", true),
                        Map.entry("endpoints.prometheus.sensitive", false),
                        Map.entry("micronaut.metrics.enabled", true),
                        Map.entry("micronaut.metrics.export.prometheus.enabled", true),
                        Map.entry("micronaut.metrics.export.prometheus.descriptions", true),
                        Map.entry("micronaut.metrics.export.prometheus.step", "PT1M")),
                DEFAULTS_ORDER);
    }
}
