package io.drplane.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) as a child JVM, from the Kafka
 * jars on this command's own classpath. Its log directory is kept under the data directory, so the event log
 * survives a restart; it is formatted only the first time.
 */
final class LocalKafka {

    static final String READY_LINE = "Kafka Server started";

    private LocalKafka() {}

    static ChildProcess start(LocalStackConfig config, String javaBin, LocalKafkaUsers users) {
        Path kafkaDir = config.dataDir().resolve("kafka");
        Path logDirs = kafkaDir.resolve("data");
        Path properties = kafkaDir.resolve("server.properties");
        Path logbackConfig = kafkaDir.resolve("logback.xml");
        try {
            Files.createDirectories(logDirs);
            Files.deleteIfExists(properties); // it holds the users' passwords: readable by its owner only
            Files.createFile(
                    properties, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(properties, serverProperties(config, logDirs, users), StandardCharsets.UTF_8);
            Files.writeString(logbackConfig, LOGBACK, StandardCharsets.UTF_8);
            if (!Files.exists(logDirs.resolve("meta.properties"))) {
                format(javaBin, properties, logbackConfig, config);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka data directory " + kafkaDir, e);
        }
        return ChildProcess.start(
                "kafka",
                List.of(
                        javaBin,
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-Dlogback.configurationFile=" + logbackConfig,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "kafka.Kafka",
                        properties.toString()),
                Map.of(),
                config.dataDir(),
                config.logDir().resolve("kafka.log"),
                READY_LINE);
    }

    private static void format(String javaBin, Path properties, Path logbackConfig, LocalStackConfig config)
            throws IOException {
        Path log = config.logDir().resolve("kafka-format.log");
        Files.createDirectories(log.getParent());
        Process format = new ProcessBuilder(
                        javaBin,
                        "-Dlogback.configurationFile=" + logbackConfig,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "kafka.tools.StorageTool",
                        "format",
                        "--standalone",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException(
                        "formatting the Kafka log directory failed; see " + log + ":\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    /**
     * A single-node KRaft broker on loopback that trusts nobody, as a production cluster should: SASL/PLAIN on both
     * listeners with a password per service, the StandardAuthorizer, and nothing allowed without an ACL.
     */
    static String serverProperties(LocalStackConfig config, Path logDirs, LocalKafkaUsers users) {
        int controllerPort = config.kafkaPort() + 1;
        String jaas = users.brokerJaas();
        return String.join(
                "\n",
                "# Written by drplane up: a single-node KRaft broker on loopback, SASL and ACLs; passwords new at each start.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + config.kafkaPort() + ",CONTROLLER://127.0.0.1:"
                        + controllerPort,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + config.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "sasl.enabled.mechanisms=PLAIN",
                "sasl.mechanism.inter.broker.protocol=PLAIN",
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config=" + jaas,
                "listener.name.controller.plain.sasl.jaas.config=" + jaas,
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + LocalKafkaUsers.ADMIN,
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + logDirs,
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    private static final String LOGBACK =
            """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
              <logger name="kafka.server.BrokerServer" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    static Duration startTimeout() {
        return Duration.ofSeconds(90);
    }
}
