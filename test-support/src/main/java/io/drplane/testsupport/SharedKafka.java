package io.drplane.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Kafka broker per test JVM, shared by every test in it and stopped when the JVM exits. Tests must
 * therefore use their own topic names or consumer groups where they need isolation.
 *
 * <p>The in-process broker is a {@link SecuredKafka}: SASL on every listener, the StandardAuthorizer, and no access
 * without an ACL, as production runs. Tests connect with {@link #connection()} (the broker's super user) unless the test is
 * about a service's own principal ({@link #broker()} creates users). An external cluster
 * ({@code KAFKA_BOOTSTRAP_SERVERS}) takes its connection settings from {@code DRPLANE_KAFKA_PROPERTIES}, as drplane's
 * services do; the Testcontainers path runs the image's plaintext listener.
 */
public final class SharedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(SharedKafka.class);
    /** Testcontainers path: the official Apache Kafka image (KRaft). */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private static volatile Started started;

    private record Started(String bootstrapServers, Map<String, Object> connection, SecuredKafka broker) {}

    private SharedKafka() {}

    /** The bootstrap servers of the shared broker, starting it on first use. */
    public static String bootstrapServers() {
        return started().bootstrapServers();
    }

    /** The security settings (SASL) of the shared broker's super user; empty on a plaintext cluster. */
    public static Map<String, Object> connection() {
        return started().connection();
    }

    /** Bootstrap servers and the super user's security settings: what a test's own clients start from. */
    public static Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>(connection());
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return settings;
    }

    /** An admin client of the super user. */
    public static Admin admin() {
        return Admin.create(clientSettings());
    }

    /**
     * The super user's connection settings as a Kafka client properties file, as a service is given them
     * ({@code drplane.kafka-properties}, {@code DRPLANE_KAFKA_PROPERTIES}).
     */
    public static Path propertiesFile() {
        return propertiesFile(connection());
    }

    /** A client properties file holding {@code connection}. */
    public static Path propertiesFile(Map<String, ?> connection) {
        try {
            Properties properties = new Properties();
            connection.forEach((name, value) -> properties.setProperty(name, String.valueOf(value)));
            Path file = Files.createTempFile("drplane-test-kafka", ".properties");
            file.toFile().deleteOnExit();
            try (var out = Files.newOutputStream(file)) {
                properties.store(out, "test Kafka client settings");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What kcat needs besides {@code -b} to connect as the super user; none on a plaintext cluster. */
    public static List<String> kcatArguments() {
        SecuredKafka broker = started().broker();
        return broker == null ? List.of() : broker.adminKcatArguments();
    }

    /**
     * A principal of the in-process broker with a random password and the ACLs {@code acls} gives it (they are made
     * for {@code User:name}), as a service is set up in production; answers its connection settings.
     */
    public static Map<String, Object> principal(String name, Function<String, List<AclBinding>> acls) {
        Map<String, Object> connection = broker().user(name);
        try (Admin admin = admin()) {
            admin.createAcls(acls.apply("User:" + name)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not grant " + name + " its ACLs: " + e.getMessage(), e);
        }
        return connection;
    }

    /** The in-process secured broker, to create users of its own; absent on an external or container broker. */
    public static SecuredKafka broker() {
        SecuredKafka broker = started().broker();
        if (broker == null) {
            throw new IllegalStateException("this test needs the in-process secured broker, not " + bootstrapServers());
        }
        return broker;
    }

    private static Started started() {
        Started broker = started;
        if (broker == null) {
            synchronized (SharedKafka.class) {
                broker = started;
                if (broker == null) {
                    broker = start();
                    started = broker;
                }
            }
        }
        return broker;
    }

    private static Started start() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            LOG.info("tests use the external Kafka cluster at {}", external);
            return new Started(external, externalConnection(), null);
        }
        return switch (TestInfrastructure.selected()) {
            case CONTAINERS -> new Started(startContainer(), Map.of(), null);
            case IN_PROCESS -> startInProcess();
        };
    }

    /** The settings of {@code DRPLANE_KAFKA_PROPERTIES}, as drplane's services read them; none if it is unset. */
    private static Map<String, Object> externalConnection() {
        String file = System.getenv("DRPLANE_KAFKA_PROPERTIES");
        if (file == null || file.isBlank()) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of(file))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read DRPLANE_KAFKA_PROPERTIES=" + file, e);
        }
        Map<String, Object> connection = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> connection.put(name, properties.getProperty(name)));
        return connection;
    }

    private static String startContainer() {
        TestInfrastructure.requireDocker();
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
        return container.getBootstrapServers();
    }

    private static Started startInProcess() {
        long begun = System.nanoTime();
        SecuredKafka broker = SecuredKafka.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                broker.close();
                            } catch (Exception e) {
                                LOG.warn("in-process Kafka did not close cleanly", e);
                            }
                        },
                        "kafka-test-broker-stop"));
        LOG.info(
                "in-process KRaft broker (SASL, ACLs) ready at {} in {} ms",
                broker.bootstrapServers(),
                (System.nanoTime() - begun) / 1_000_000);
        return new Started(broker.bootstrapServers(), broker.adminConnection(), broker);
    }

    /**
     * A test kit for a one-node cluster with its internal topics at replication factor 1, no topic created by a
     * client's request, and rebalances that start at once; the caller adds its own settings and builds it.
     */
    static KafkaClusterTestKit.Builder singleNode(TestKitNodes nodes) {
        return new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false");
    }

    /** The test kit defaults to an unstable metadata version; tests must run what production runs. */
    static BootstrapMetadata productionBootstrap() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new HashMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            if (feature != Feature.KRAFT_VERSION) {
                features.put(feature.featureName(), feature.defaultLevel(version));
            }
        }
        return BootstrapMetadata.fromVersions(version, features, "drplane tests");
    }
}
