package io.drplane.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The decider and everything it uses is pure: no Kafka client in coordinator-core, nor in the contract it reads. */
class NoKafkaInTheBrainTest {

    @Test
    void shouldImportNoKafkaInCoordinatorCoreOrEvents() throws IOException {
        for (Path sources : List.of(Path.of("src/main/java"), Path.of("../events/src/main/java"))) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).toList();
            }
            assertThat(files).as("sources under " + sources).isNotEmpty();
            for (Path file : files) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("org.apache.kafka");
            }
        }
    }
}
