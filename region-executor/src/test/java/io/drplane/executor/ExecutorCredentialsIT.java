package io.drplane.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.SecuredKafka;
import io.drplane.testsupport.TestKeys;
import io.drplane.testsupport.TestPlans;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor given wrong Kafka credentials (as environment variables KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*) stops
 * with one line that says which cluster, how, and what the broker said, and its /health says the same; it does not
 * retry for ever in silence.
 */
class ExecutorCredentialsIT {

    @TempDir
    Path dir;

    @Test
    void shouldStopAndSayWhyWhenTheBrokerRefusesItsCredentials() throws Exception {
        try (SecuredKafka kafka = SecuredKafka.start()) {
            kafka.user("executor-usw2");
            Map<String, Object> wrong = kafka.userWithPassword("executor-usw2", "not-the-password");
            try (ApplicationContext context = ApplicationContext.builder()
                    .propertySources(DrplaneService.defaults(RegionExecutorApplication.SERVICE))
                    .properties(Map.ofEntries(
                            Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                            Map.entry("kafka.security.protocol", wrong.get("security.protocol")),
                            Map.entry("kafka.sasl.mechanism", wrong.get("sasl.mechanism")),
                            Map.entry("kafka.sasl.jaas.config", wrong.get("sasl.jaas.config")),
                            Map.entry(
                                    "drplane.plan",
                                    TestPlans.warmStandby(dir, "creds", "automatic")
                                            .toString()),
                            Map.entry("drplane.instance", "creds-it"),
                            Map.entry("drplane.region", "us-west-2"),
                            Map.entry("drplane.aws.endpoint", "http://127.0.0.1:9"),
                            Map.entry("drplane.command-keys", TestKeys.COMMAND_KEYS),
                            Map.entry("micronaut.server.port", -1)))
                    .start()) {
                RegionExecutor executor = context.getBean(RegionExecutor.class);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> executor.loop().problem().isPresent());
                String problem = executor.loop().problem().orElseThrow();
                System.out.println("executor with wrong credentials: " + problem);

                assertThat(problem)
                        .startsWith("the loop stopped: Kafka at " + kafka.bootstrapServers()
                                + " over SASL_PLAINTEXT with SCRAM-SHA-512 refused the executor of us-west-2's"
                                + " credentials:")
                        .contains("invalid credentials")
                        .doesNotContain("not-the-password");
                URI url = context.getBean(EmbeddedServer.class).start().getURI();
                HttpResponse<String> health = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(url.resolve("/health"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                assertThat(health.body()).as("/health says it").contains("DOWN: " + problem);
            }
        }
    }
}
