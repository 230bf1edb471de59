package io.drplane.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
 */
public final class SharedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(SharedKafka.class);
    /** Testcontainers path: the official Apache Kafka image (KRaft). */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private static volatile String bootstrapServers;

    private SharedKafka() {}

    /** The bootstrap servers of the shared broker, starting it on first use. */
    public static String bootstrapServers() {
        String servers = bootstrapServers;
        if (servers == null) {
            synchronized (SharedKafka.class) {
                servers = bootstrapServers;
                if (servers == null) {
                    servers = start();
                    bootstrapServers = servers;
                }
            }
        }
        return servers;
    }

    private static String start() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            LOG.info("tests use the external Kafka cluster at {}", external);
            return external;
        }
        return switch (TestInfrastructure.selected()) {
            case CONTAINERS -> startContainer();
            case IN_PROCESS -> startInProcess();
        };
    }

    private static String startContainer() {
        TestInfrastructure.requireDocker();
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
        return container.getBootstrapServers();
    }

    private static String startInProcess() {
        try {
            long started = System.nanoTime();
            Path dir = Files.createTempDirectory("drplane-test-kafka");
            KafkaClusterTestKit cluster = singleNode(new TestKitNodes.Builder(productionBootstrap())
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBaseDirectory(dir)
                            .build())
                    .setDeleteOnClose(true)
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    cluster.close();
                                } catch (Exception e) {
                                    LOG.warn("in-process Kafka did not close cleanly", e);
                                }
                            },
                            "kafka-test-broker-stop"));
            LOG.info(
                    "in-process KRaft broker ready at {} in {} ms",
                    cluster.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-process Kafka broker: " + e.getMessage(), e);
        }
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
