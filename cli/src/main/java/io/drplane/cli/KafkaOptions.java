package io.drplane.cli;

import io.drplane.kafka.KafkaClientConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the Kafka cluster is and how to connect to it: the options of every command that reads or writes Kafka. */
final class KafkaOptions {

    @Option(
            names = {"-b", "--bootstrap-servers"},
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(
            names = "--kafka-properties",
            defaultValue = "${env:DRPLANE_KAFKA_PROPERTIES}",
            description =
                    "Kafka client properties: security.protocol, sasl.*, ssl.* (default: $DRPLANE_KAFKA_PROPERTIES)")
    Path kafkaProperties;

    KafkaClientConfig config() {
        return KafkaClientConfig.forTool(bootstrapServers, kafkaProperties);
    }
}
