package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's CLI ships no Kafka broker, no simulation and no CloudWatch SDK: those are the local stack's. Read from
 * the runtime classpath the build wrote for {@code ./drplane} (after the package phase, so this is an integration test).
 */
class OperatorCliDependenciesIT {

    @Test
    void shouldShipNeitherBrokerNorSimulationNorCloudWatch() throws Exception {
        List<String> jars = Arrays.stream(Files.readString(Path.of("target/runtime-classpath.txt"))
                        .trim()
                        .split(File.pathSeparator))
                .map(path -> Path.of(path).getFileName().toString())
                .toList();
        assertThat(jars)
                .as("the runtime classpath of the operator CLI")
                .isNotEmpty()
                .anyMatch(jar -> jar.startsWith("kafka-clients-"))
                .noneMatch(jar -> jar.startsWith("kafka_2.13-"))
                .noneMatch(jar -> jar.startsWith("cloudwatch-"))
                .noneMatch(jar -> jar.startsWith("drplane-dev-databases-"))
                .noneMatch(jar -> jar.startsWith("drplane-local-stack-"));
    }
}
