package io.drplane.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drplane.coordinator.FailoverCoordinatorApplication;
import io.drplane.coordinator.view.ApiError;
import io.drplane.coordinator.view.ApiJson;
import io.drplane.coordinator.view.ApiTokenHashes;
import io.drplane.coordinator.view.ApprovalReceipt;
import io.drplane.coordinator.view.GroupView;
import io.drplane.events.ApiAccessAudited;
import io.drplane.events.AuditOutcome;
import io.drplane.events.Event;
import io.drplane.events.FailoverApproved;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.ReasonCode;
import io.drplane.events.SwitchoverRequested;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.drplane.testsupport.TestKeys;
import io.drplane.testsupport.TestPlans;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API on a real server: state for people, and changes only as operator events with the caller's principal. */
class GroupsApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String group = "api-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;

    @Test
    void shouldShowStateAndAcceptChangesOnlyFromOperatorsAsEvents() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        Path plan = TestPlans.minimal(dir, group, "approval");
        // a replication link, so the live topology the API shows has one
        Files.writeString(
                plan,
                "    replication:\n      - { name: orders, from: us-east-1, to: us-west-2,"
                        + " method: cloudwatch-rds-replica-lag, targetResource: orders-usw2 }\n",
                java.nio.file.StandardOpenOption.APPEND);
        ApiTokenHashes.Issued carol = ApiTokenHashes.issue("carol@example.com", "read");
        Path tokensFile =
                Files.writeString(dir.resolve("api-tokens"), "# principal:right:salt:hash\n" + carol.line() + "\n");
        try (ApplicationContext context = ApplicationContext.builder()
                        .propertySources(DrplaneService.defaults(FailoverCoordinatorApplication.SERVICE))
                        .properties(Map.of(
                                "kafka.bootstrap.servers",
                                SharedKafka.bootstrapServers(),
                                "drplane.kafka-properties",
                                SharedKafka.propertiesFile().toString(),
                                "drplane.plan",
                                plan.toString(),
                                "drplane.instance",
                                "api-" + group,
                                "micronaut.server.port",
                                -1,
                                "drplane.operator-keys",
                                TestKeys.OPERATOR_KEYS,
                                "drplane.command-keys",
                                TestKeys.COMMAND_KEYS,
                                "drplane.api.tokens",
                                "op-token:alice@example.com:operate,ro-token:bob@example.com:read",
                                "drplane.api.tokens-file",
                                tokensFile.toString()))
                        .start();
                KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaConsumer<String, byte[]> operator = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.OPERATOR.topic())) {
            URI base = context.getBean(EmbeddedServer.class).start().getURI();
            for (String vantage : List.of("v1", "v2", "v3")) {
                for (String region : List.of("us-east-1", "us-west-2")) {
                    HealthObserved h = new HealthObserved(
                            group,
                            region,
                            "web",
                            vantage,
                            ProbeSource.HTTPS,
                            ProbeOutcome.OK,
                            200,
                            5,
                            Instant.now(),
                            null);
                    producer.send(new ProducerRecord<>(
                                    TopicFamily.HEALTH.topic(), group, Event.of(URI.create("/it"), Instant.now(), h)))
                            .get(10, TimeUnit.SECONDS);
                }
            }

            // Analysis reads ALL_HEALTHY only once every region is up by quorum, standby included.
            await().atMost(Duration.ofSeconds(30)).until(() -> "ALL_HEALTHY"
                    .equals(JSON.readTree(get(base.resolve("/groups/" + group)).body())
                            .path("analysis")
                            .asText()));
            JsonNode detail =
                    JSON.readTree(get(base.resolve("/groups/" + group)).body());
            assertThat(detail.path("primary").asText()).isEqualTo("us-east-1");
            assertThat(detail.path("regions").path("us-west-2").asText()).isEqualTo("UP");
            assertThat(detail.path("vantagePoints")
                            .path("us-east-1|v1")
                            .path("breakers")
                            .get(0)
                            .asText())
                    .isEqualTo("CLOSED");
            // typed as the CLI reads it: the same records, no display string to parse
            GroupView typed =
                    ApiJson.group(get(base.resolve("/groups/" + group)).body());
            assertThat(typed.links())
                    .as("the live topology, as the API writes it")
                    .extracting(l -> l.name() + " " + l.from() + " -> " + l.to())
                    .containsExactly("orders us-east-1 -> us-west-2");
            assertThat(typed.home()).isEqualTo("us-east-1");
            assertThat(typed.reprotect()).isNull();
            assertThat(typed.lastDecision().type()).isEqualTo("region.state-changed");
            assertThat(typed.lastDecision().reasonCode()).isEqualTo("QUORUM_UP");
            assertThat(typed.lastDecision().reason()).isNotBlank();
            assertThat(typed.vantagePoints().get("us-east-1|v1").breakers())
                    .first()
                    .isEqualTo("CLOSED");
            assertThat(JSON.readTree(get(base.resolve("/groups")).body()).findValuesAsText("group"))
                    .contains(group);
            assertThat(get(base.resolve("/groups/no-such-group")).statusCode()).isEqualTo(404);

            // Reading needs a token too; tokens from the hashed file count, and a change to it counts at once.
            assertThat(getAs(base.resolve("/groups"), null).statusCode()).isEqualTo(401);
            assertThat(getAs(base.resolve("/groups/" + group), "not-a-token").statusCode())
                    .isEqualTo(401);
            assertThat(getAs(base.resolve("/groups/" + group), carol.token()).statusCode())
                    .isEqualTo(200);
            ApiTokenHashes.Issued dave = ApiTokenHashes.issue("dave@example.com", "read");
            Files.writeString(tokensFile, dave.line() + "\n"); // carol's revoked, dave's added, no restart
            Files.setLastModifiedTime(tokensFile, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(getAs(base.resolve("/groups"), dave.token()).statusCode())
                    .isEqualTo(200);
            assertThat(getAs(base.resolve("/groups"), carol.token()).statusCode())
                    .isEqualTo(401);

            assertThat(post(base.resolve("/groups/" + group + "/approve"), null, "{}")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(post(base.resolve("/groups/" + group + "/approve"), "ro-token", "{}")
                            .statusCode())
                    .isEqualTo(403);
            assertThat(post(
                                    base.resolve("/groups/" + group + "/switchover"),
                                    "op-token",
                                    "{\"targetRegion\":\"eu-west-1\"}")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(post(
                                    base.resolve("/groups/" + group + "/approve"),
                                    "op-token",
                                    "{\"comment\":\"" + "x".repeat(100_000) + "\"}")
                            .statusCode())
                    .as("a request over 64 KB is refused")
                    .isEqualTo(413);
            HttpResponse<String> nothing =
                    post(base.resolve("/groups/" + group + "/approve"), "op-token", "{\"comment\":\"go\"}");
            assertThat(nothing.statusCode()).as("nothing is held").isEqualTo(409);
            assertThat(ApiJson.read(nothing.body(), ApiError.class).error())
                    .isEqualTo("nothing to approve: no failover or re-protect of " + group + " is held");
            HttpResponse<String> home = post(base.resolve("/groups/" + group + "/failback"), "op-token", "{}");
            assertThat(home.statusCode()).as("already home").isEqualTo(409);
            assertThat(ApiJson.read(home.body(), ApiError.class).error())
                    .isEqualTo("nothing to fail back: us-east-1, the plan's primary, is the primary");

            // Each refusal and each change answered is an audit event: who, from where, what, the answer; no token.
            List<ApiAccessAudited> audited = new ArrayList<>();
            List<String> rawAudits = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> audit = TestConsumers.fromBeginning(
                    SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.AUDIT.topic())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    for (ConsumerRecord<String, byte[]> r : audit.poll(Duration.ofMillis(200))) {
                        if (EventCodec.instance().decode(r.value()).data() instanceof ApiAccessAudited a
                                && group.equals(a.group())) {
                            audited.add(a);
                            rawAudits.add(new String(r.value(), StandardCharsets.UTF_8));
                        }
                    }
                    return audited.size() >= 5;
                });
            }
            assertThat(audited)
                    .extracting(ApiAccessAudited::principal, ApiAccessAudited::status, ApiAccessAudited::outcome)
                    .contains(
                            tuple("anonymous", 401, AuditOutcome.REFUSED_UNAUTHENTICATED),
                            tuple("bob@example.com", 403, AuditOutcome.REFUSED_FORBIDDEN),
                            tuple("alice@example.com", 400, AuditOutcome.CHANGE_ANSWERED),
                            tuple("alice@example.com", 409, AuditOutcome.CHANGE_ANSWERED));
            assertThat(audited).allSatisfy(a -> assertThat(a.source()).isEqualTo("127.0.0.1"));
            assertThat(String.join("\n", rawAudits))
                    .doesNotContain("op-token", "ro-token", "not-a-token", carol.token(), dave.token());

            // The primary goes down: in approval mode the failover is held for a person.
            for (int round = 0; round < 3; round++) {
                for (String vantage : List.of("v1", "v2", "v3")) {
                    HealthObserved standbyUp = new HealthObserved(
                            group,
                            "us-west-2",
                            "web",
                            vantage,
                            ProbeSource.HTTPS,
                            ProbeOutcome.OK,
                            200,
                            5,
                            Instant.now(),
                            null);
                    producer.send(new ProducerRecord<>(
                                    TopicFamily.HEALTH.topic(),
                                    group,
                                    Event.of(URI.create("/it"), Instant.now(), standbyUp)))
                            .get(10, TimeUnit.SECONDS);
                    HealthObserved down = new HealthObserved(
                            group,
                            "us-east-1",
                            "web",
                            vantage,
                            ProbeSource.HTTPS,
                            ProbeOutcome.TIMEOUT,
                            null,
                            2000,
                            Instant.now(),
                            null);
                    producer.send(new ProducerRecord<>(
                                    TopicFamily.HEALTH.topic(),
                                    group,
                                    Event.of(URI.create("/it"), Instant.now(), down)))
                            .get(10, TimeUnit.SECONDS);
                }
                // the replica is 100 ms behind: the failover is held for approval only
                producer.send(new ProducerRecord<>(
                                TopicFamily.REPLICATION.topic(),
                                group,
                                Event.of(
                                        URI.create("/it"),
                                        Instant.now(),
                                        new io.drplane.events.ReplicationLagObserved(
                                                group,
                                                "orders",
                                                "us-east-1",
                                                "us-west-2",
                                                io.drplane.events.LagStatus.MEASURED,
                                                100L,
                                                null,
                                                io.drplane.events.LagMethod.CLOUDWATCH_RDS_REPLICA_LAG,
                                                Instant.now(),
                                                null))))
                        .get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                GroupView view =
                        ApiJson.group(get(base.resolve("/groups/" + group)).body());
                return view.pending() != null
                        && "APPROVAL_REQUIRED".equals(view.pending().heldFor());
            });
            String held = ApiJson.group(get(base.resolve("/groups/" + group)).body())
                    .pending()
                    .failoverId();
            HttpResponse<String> other = post(
                    base.resolve("/groups/" + group + "/approve"), "op-token", "{\"failoverId\":\"not-" + held + "\"}");
            assertThat(other.statusCode()).as("another failover").isEqualTo(409);
            assertThat(ApiJson.read(other.body(), ApiError.class).error())
                    .isEqualTo("failover not-" + held + " is not the one held: " + held + " is, for APPROVAL_REQUIRED");
            Instant before = Instant.now();
            HttpResponse<String> approved =
                    post(base.resolve("/groups/" + group + "/approve"), "op-token", "{\"comment\":\"go\"}");
            assertThat(approved.statusCode()).isEqualTo(200);
            ApprovalReceipt receipt = ApiJson.read(approved.body(), ApprovalReceipt.class);
            assertThat(receipt.failoverId()).isEqualTo(held);
            assertThat(receipt.approvedPast()).isEqualTo("APPROVAL_REQUIRED");
            assertThat(receipt.principal()).isEqualTo("alice@example.com");
            assertThat(Instant.parse(receipt.expiresAt()))
                    .isBetween(
                            before.plus(Duration.ofMinutes(15)), Instant.now().plus(Duration.ofMinutes(15)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            ApiJson.group(get(base.resolve("/groups/" + group)).body())
                                            .failover()
                                    != null);
            assertThat(post(
                                    base.resolve("/groups/" + group + "/switchover"),
                                    "op-token",
                                    "{\"targetRegion\":\"us-west-2\"}")
                            .statusCode())
                    .isEqualTo(202);

            List<Object> written = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : operator.poll(Duration.ofMillis(200))) {
                    Event<?> e = EventCodec.instance().decode(r.value());
                    if (e.subject().equals(group)) {
                        written.add(e.data());
                    }
                }
                return written.size() >= 2;
            });
            assertThat(written.get(0)).isInstanceOfSatisfying(FailoverApproved.class, a -> {
                assertThat(a.principal()).isEqualTo("alice@example.com");
                assertThat(a.comment()).isEqualTo("go");
                assertThat(a.overrides()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
            });
            assertThat(written.get(1))
                    .isInstanceOfSatisfying(SwitchoverRequested.class, s -> assertThat(s.targetRegion())
                            .isEqualTo("us-west-2"));
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return getAs(uri, "ro-token");
    }

    private HttpResponse<String> getAs(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
