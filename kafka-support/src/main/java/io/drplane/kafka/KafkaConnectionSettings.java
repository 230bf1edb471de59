package io.drplane.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How to connect to a secured cluster, in Kafka's own property names: {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}, {@code config.providers*} (so secrets can stay in files or the environment:
 * {@code ${file:/run/secrets/kafka:password}}, {@code ${env:KAFKA_PASSWORD}}) and {@code client.dns.lookup}. A service
 * reads them from {@code DRPLANE_KAFKA_PROPERTIES} (a client properties file) and from {@code kafka.*} settings such as
 * {@code KAFKA_SECURITY_PROTOCOL}; every client of the service, micronaut-kafka's included, gets the same.
 */
public final class KafkaConnectionSettings {

    /** The environment variable naming a Kafka client properties file. */
    public static final String PROPERTIES_FILE_ENV = "DRPLANE_KAFKA_PROPERTIES";

    private KafkaConnectionSettings() {}

    private static Set<String> clientSettings() {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }

    /** Whether a Kafka client property says how to connect (and so applies to every client alike). */
    public static boolean isConnectionSetting(String name) {
        return name.startsWith("security.")
                || name.startsWith("sasl.")
                || name.startsWith("ssl.")
                || name.startsWith("config.providers")
                || name.equals("client.dns.lookup")
                || name.equals("bootstrap.servers");
    }

    /**
     * The connection settings of a Kafka client properties file.
     *
     * @throws IllegalArgumentException naming the file and the setting when it cannot be read or holds a setting that
     *     is not about connecting (those drplane sets per client itself)
     */
    public static Map<String, String> fromFile(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    PROPERTIES_FILE_ENV + "=" + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> settings = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!isConnectionSetting(name)) {
                throw new IllegalArgumentException(PROPERTIES_FILE_ENV + "=" + file + ": '" + name
                        + "' is not a connection setting; allowed are bootstrap.servers, security.*, sasl.*, ssl.*,"
                        + " config.providers* and client.dns.lookup (drplane sets the rest per client)");
            }
            settings.put(name, properties.getProperty(name).strip());
        }
        return settings;
    }

    /** Every setting a Kafka client knows, for telling a real name from a spelling the environment made up. */
    private static final Set<String> CLIENT_SETTINGS = clientSettings();

    /**
     * The connection settings among a service's {@code kafka.*} settings (given without the prefix). An environment
     * variable reaches them under several spellings ({@code sasl.jaas.config}, {@code sasl.jaas-config}...): only a
     * name Kafka's clients know is taken.
     */
    public static Map<String, Object> select(Map<String, Object> kafkaSettings) {
        Map<String, Object> selected = new TreeMap<>();
        kafkaSettings.forEach((name, value) -> {
            boolean known = CLIENT_SETTINGS.contains(name) || name.startsWith("config.providers");
            if (known && isConnectionSetting(name) && !name.equals("bootstrap.servers") && value != null) {
                selected.put(name, value.toString());
            }
        });
        return selected;
    }
}
