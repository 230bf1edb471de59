package io.drplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecuritySettingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldBuildAClientForAmazonMskWithIamAuth() {
        // The settings AWS documents for MSK IAM access control; building the client loads the login module and the
        // callback handler (nothing is sent until the client is used).
        KafkaClientConfig msk = KafkaClientConfig.plaintext("127.0.0.1:9098")
                .withConnection(Map.of(
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "AWS_MSK_IAM",
                        "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                        "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));

        try (var producer = new KafkaProducer<>(msk.bytesProducer("msk-iam"))) {
            assertThat(producer.metrics()).isNotEmpty();
        }
        assertThat(msk.describe()).isEqualTo("127.0.0.1:9098 over SASL_SSL with AWS_MSK_IAM");
    }

    @Test
    void shouldTakeFromAServicesKafkaSettingsOnlyConnectionSettingsKafkaKnows() {
        // An environment variable reaches the service's settings under several spellings; one is Kafka's.
        Map<String, Object> selected = KafkaConnectionSettings.select(Map.of(
                "sasl.jaas.config", "jaas",
                "sasl.jaas-config", "jaas",
                "security.protocol", "SASL_SSL",
                "config.providers", "file",
                "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
                "bootstrap.servers", "b:9092",
                "health.enabled", "true",
                "acks", "0"));

        assertThat(selected)
                .containsOnlyKeys(
                        "sasl.jaas.config", "security.protocol", "config.providers", "config.providers.file.class");
    }

    @Test
    void shouldReadAClientPropertiesFileAndRefuseWhatIsNotAboutConnecting() throws Exception {
        Path file = Files.writeString(
                dir.resolve("kafka.properties"),
                "bootstrap.servers=broker:9096\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"coordinator\" password=\"${file:/run/secrets/kafka:password}\";\n");

        KafkaClientConfig config = KafkaClientConfig.fromFile(null, file);

        assertThat(config.bootstrapServers()).isEqualTo("broker:9096");
        assertThat(config.connection()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(config.connection().get("sasl.jaas.config").toString())
                .as("read as it is: the placeholder is Kafka's config provider")
                .contains("${file:/run/secrets/kafka:password}");
        assertThat(config.toString()).doesNotContain("password");
        assertThat(KafkaClientConfig.fromFile("other:9092", file).bootstrapServers())
                .isEqualTo("other:9092");

        Path wrong = Files.writeString(dir.resolve("wrong.properties"), "security.protocol=SSL\nacks=0\n");
        assertThatThrownBy(() -> KafkaClientConfig.fromFile("b:9092", wrong))
                .hasMessage("DRPLANE_KAFKA_PROPERTIES=" + wrong + ": 'acks' is not a connection setting; allowed are"
                        + " bootstrap.servers, security.*, sasl.*, ssl.*, config.providers* and client.dns.lookup"
                        + " (drplane sets the rest per client)");
        assertThatThrownBy(() -> KafkaClientConfig.fromFile("b:9092", dir.resolve("missing.properties")))
                .hasMessageStartingWith(
                        "DRPLANE_KAFKA_PROPERTIES=" + dir.resolve("missing.properties") + " cannot be read");
    }
}
