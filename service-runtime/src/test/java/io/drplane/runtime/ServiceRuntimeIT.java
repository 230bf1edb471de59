package io.drplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.testsupport.MotoServer;
import io.drplane.testsupport.SharedKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** What every service gets from the runtime, checked on a real server against the real broker. */
class ServiceRuntimeIT {

    private static final String EXAMPLE =
            Path.of("..", "examples", "two-region-shop.yml").toAbsolutePath().toString();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServeHealthWithKafkaAndPrometheusMetrics() throws Exception {
        try (ApplicationContext context = start(SharedKafka.bootstrapServers(), EXAMPLE)) {
            URI base = context.getBean(EmbeddedServer.class).start().getURI();

            HttpResponse<String> health = get(base.resolve("/health"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("kafka");

            HttpResponse<String> readiness = get(base.resolve("/health/readiness"));
            assertThat(readiness.statusCode()).isEqualTo(200);

            HttpResponse<String> metrics = get(base.resolve("/prometheus"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void shouldReportNotReadyWhenKafkaIsUnreachable() throws Exception {
        String nowhere = "127.0.0.1:" + MotoServer.freePort();
        try (ApplicationContext context = start(nowhere, EXAMPLE)) {
            URI base = context.getBean(EmbeddedServer.class).start().getURI();

            HttpResponse<String> readiness = get(base.resolve("/health/readiness"));

            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).contains("DOWN");
        }
    }

    @Test
    void shouldRefuseToStartWithABadPlanNamingThePath() {
        assertThatThrownBy(() -> start(SharedKafka.bootstrapServers(), "/no/such/plan.yml"))
                .hasStackTraceContaining("/no/such/plan.yml")
                .hasStackTraceContaining("the plan file does not exist");
    }

    @Test
    void shouldGiveEveryServiceTheDeadLetteringReader() {
        try (ApplicationContext context = start(SharedKafka.bootstrapServers(), EXAMPLE)) {
            assertThat(context.getBean(DeadLetteringReader.class).deadLettered())
                    .isZero();
        }
    }

    @Test
    void shouldPublishEventsToTheirFamilyTopicKeyedByGroup() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        try (ApplicationContext context = start(SharedKafka.bootstrapServers(), EXAMPLE)) {
            EventPublisher publisher = context.getBean(EventPublisher.class);
            RecordMetadata metadata = publisher
                    .publish(new HealthObserved(
                            "shop",
                            "us-east-1",
                            "web",
                            "test",
                            ProbeSource.HTTPS,
                            ProbeOutcome.OK,
                            200,
                            12,
                            Instant.now(),
                            null))
                    .get(30, TimeUnit.SECONDS);
            assertThat(metadata.topic()).isEqualTo(TopicFamily.HEALTH.topic());
        }
    }

    private static ApplicationContext start(String bootstrapServers, String plan) {
        return ApplicationContext.builder()
                .propertySources(DrplaneService.defaults("runtime-test"))
                .properties(Map.of(
                        "kafka.bootstrap.servers",
                        bootstrapServers,
                        "drplane.kafka-properties",
                        SharedKafka.propertiesFile().toString(),
                        "drplane.plan",
                        plan,
                        "drplane.instance",
                        "it",
                        "micronaut.server.port",
                        -1))
                .start();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
