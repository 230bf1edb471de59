package io.drplane.runtime;

import io.drplane.kafka.KafkaConnectionSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.Micronaut;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a drplane service with the defaults they all share. Everything can be overridden by application.yml
 * and by environment variables: {@code DRPLANE_PLAN}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code DRPLANE_INSTANCE},
 * {@code MICRONAUT_SERVER_PORT}, {@code LOG_FORMAT}, {@code LOG_LEVEL}.
 */
public final class DrplaneService {

    /** Lowest precedence: these are only defaults. */
    private static final int DEFAULTS_ORDER = Integer.MIN_VALUE + 100;
    /** Over the defaults, under environment variables and system properties. */
    private static final int KAFKA_FILE_ORDER = DEFAULTS_ORDER + 50;

    private DrplaneService() {}

    public static ApplicationContext run(String service, Class<?> mainClass, String[] args) {
        return Micronaut.build(args)
                .mainClass(mainClass)
                .banner(false)
                .propertySources(defaults(service), kafkaPropertiesFile(System.getenv()))
                .start();
    }

    /**
     * The connection settings of the Kafka client properties file {@code DRPLANE_KAFKA_PROPERTIES} names, as
     * {@code kafka.*} settings: so micronaut-kafka (its health check's admin client) and drplane's own clients connect
     * alike. Environment variables ({@code KAFKA_SASL_JAAS_CONFIG}...) override the file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it: the service does not start
     */
    static PropertySource kafkaPropertiesFile(Map<String, String> environment) {
        String file = environment.get(KafkaConnectionSettings.PROPERTIES_FILE_ENV);
        Map<String, Object> settings = new HashMap<>();
        if (file != null && !file.isBlank()) {
            KafkaConnectionSettings.fromFile(Path.of(file))
                    .forEach((name, value) -> settings.put("kafka." + name, value));
        }
        return PropertySource.of("drplane-kafka-properties", settings, KAFKA_FILE_ORDER);
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
