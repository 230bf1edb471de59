package io.drplane.events.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.drplane.events.EventType;
import io.drplane.events.SampleEvents;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The schemas shipped in the jar and published in docs/events/ are the ones the records produce, and every
 * serialized sample validates against its type's schema. To refresh both copies after changing a record, run
 * {@code mvn -pl events test -Dtest=EventSchemaDocsTest -Ddrplane.schemas.write=true}.
 */
class EventSchemaDocsTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path SHIPPED = MODULE.resolve("src/main/resources" + EventSchemas.RESOURCE_DIR);
    private static final Path DOCS = MODULE.getParent().resolve("docs/events");
    private static final String REGENERATE =
            "mvn -pl events test -Dtest=EventSchemaDocsTest -Ddrplane.schemas.write=true";

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldShipAndPublishTheSchemaTheRecordProduces(EventType type) throws Exception {
        String generated = JSON.writeValueAsString(new EventSchemaGenerator().generate(type)) + "\n";
        String file = EventSchemaGenerator.fileName(type);
        if (Boolean.getBoolean("drplane.schemas.write")) {
            Files.createDirectories(SHIPPED);
            Files.createDirectories(DOCS);
            Files.writeString(SHIPPED.resolve(file), generated);
            Files.writeString(DOCS.resolve(file), generated);
        }
        assertThat(SHIPPED.resolve(file))
                .as("shipped schema; regenerate with: " + REGENERATE)
                .exists();
        assertThat(Files.readString(SHIPPED.resolve(file)))
                .as("shipped schema is stale; regenerate with: " + REGENERATE)
                .isEqualTo(generated);
        assertThat(Files.readString(DOCS.resolve(file)))
                .as("docs/events is stale; regenerate with: " + REGENERATE)
                .isEqualTo(generated);
    }

    @Test
    void shouldPublishAnIndexOfEveryType() throws Exception {
        StringBuilder index = new StringBuilder()
                .append("# drplane event types\n\n")
                .append("Generated from `EventType` by `EventSchemaDocsTest`; do not edit by hand (")
                .append(REGENERATE)
                .append(").\n\n")
                .append(
                        "Every record value is a CloudEvents 1.0 event in structured JSON mode (`content-type: application/cloudevents+json`). ")
                .append(
                        "The Kafka key and the CloudEvents `subject` are the failover group's id (ticks: the coordinator partition). ")
                .append("Readers ignore unknown fields; a breaking change gets a new `.v2` type.\n\n")
                .append("| type | payload | topic | schema |\n|---|---|---|---|\n");
        for (EventType type : EventType.values()) {
            String topic = type.topicFamily().perRegion()
                    ? type.topicFamily().topic("us-east-1").replace("us-east-1", "<region>")
                    : type.topicFamily().topic();
            index.append("| `")
                    .append(type.typeName())
                    .append("` | `")
                    .append(type.dataClass().getSimpleName())
                    .append("` | `")
                    .append(topic)
                    .append(
                            type == EventType.RPO_BREACHED || type == EventType.RPO_RESTORED
                                    ? "` (`" + TopicFamily.BACKUP.topic() + "` for scope `BACKUP_RULE`)"
                                    : "`")
                    .append(" | [schema](")
                    .append(EventSchemaGenerator.fileName(type))
                    .append(") |\n");
        }
        if (Boolean.getBoolean("drplane.schemas.write")) {
            Files.createDirectories(DOCS);
            Files.writeString(DOCS.resolve("README.md"), index.toString());
        }
        assertThat(Files.readString(DOCS.resolve("README.md")))
                .as("docs/events/README.md is stale; regenerate with: " + REGENERATE)
                .isEqualTo(index.toString());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldValidateASerializedSampleAgainstItsSchema(EventType type) throws Exception {
        byte[] serialized = EventCodec.instance().encode(SampleEvents.event(type));
        JsonNode cloudEvent = JSON.readTree(new String(serialized, StandardCharsets.UTF_8));

        assertThat(EventSchemas.shipped().validateEnvelope(type, cloudEvent)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldRejectASampleOfAnotherType(EventType type) throws Exception {
        EventType other = EventType.values()[(type.ordinal() + 1) % EventType.values().length];
        JsonNode cloudEvent = JSON.readTree(EventCodec.instance().encode(SampleEvents.event(other)));

        assertThat(EventSchemas.shipped().validateEnvelope(type, cloudEvent))
                .as("the schema of %s must refuse a %s event", type, other)
                .isNotEmpty();
    }
}
