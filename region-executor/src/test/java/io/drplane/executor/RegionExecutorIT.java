package io.drplane.executor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.drplane.events.Command;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandResult;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.DatabaseKind;
import io.drplane.events.Event;
import io.drplane.events.PromoteReplica;
import io.drplane.events.ReasonCode;
import io.drplane.events.SetCapacity;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.DeadLetterHeaders;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.plan.Plan;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.MotoServer;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.drplane.testsupport.TestKeys;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor as a service on the real broker, acting on moto through a counting WireMock proxy: a command
 * delivered twice changes AWS once, before and after a restart; a stale epoch and a misrouted command are rejected;
 * another region's commands are not read; garbage goes to the dead-letter topic and the executor goes on.
 */
class RegionExecutorIT {

    /** The executor runs as its own principal with the ACLs of a us-west-2 executor, as deployed. */
    private static final Path EXECUTOR_PRINCIPAL = SharedKafka.propertiesFile(SharedKafka.principal(
            "executor-usw2-it",
            p -> ServiceAcls.of(
                    ServiceAcls.Service.REGION_EXECUTOR, p, "us-west-2", List.of("us-east-1", "us-west-2"))));

    @TempDir
    Path dir;

    private final WireMockServer proxy = new WireMockServer(options().dynamicPort());
    private final AwsWorld world = new AwsWorld().create();
    private final List<CommandResult> results = new ArrayList<>();
    private KafkaConsumer<String, byte[]> resultsConsumer;

    @BeforeAll
    static void topics() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        // The default credentials chain reads these; moto accepts any.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @AfterEach
    void stop() {
        proxy.stop();
        if (resultsConsumer != null) {
            resultsConsumer.close();
        }
    }

    private ApplicationContext executor(Path plan) {
        ApplicationContext context = ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(RegionExecutorApplication.SERVICE))
                .properties(Map.of(
                        "kafka.bootstrap.servers",
                        SharedKafka.bootstrapServers(),
                        "drplane.kafka-properties",
                        EXECUTOR_PRINCIPAL.toString(),
                        "drplane.plan",
                        plan.toString(),
                        "drplane.instance",
                        "it-" + world.suffix,
                        "drplane.region",
                        "us-west-2",
                        "drplane.aws.endpoint",
                        proxy.baseUrl(),
                        "drplane.executor.poll-interval",
                        "50ms",
                        "drplane.command-keys",
                        TestKeys.COMMAND_KEYS,
                        "micronaut.server.port",
                        -1))
                .start();
        try {
            assertThat(context.getBean(RegionExecutor.class).loop().awaitCaughtUp(Duration.ofSeconds(60)))
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return context;
    }

    @Test
    void shouldChangeAwsOnceForACommandDeliveredTwiceEvenAcrossARestart() throws Exception {
        proxy.start();
        proxy.stubFor(any(anyUrl())
                .willReturn(
                        aResponse().proxiedFrom(MotoServer.shared().endpoint().toString())));
        Path planFile = world.plan(dir, "automatic");
        Plan plan = AwsWorld.load(planFile);
        Map<String, Command> commands = AwsWorld.runbookCommands(plan, world.group, 3, false);
        Command promote = commands.get("promote-database");
        resultsConsumer = TestConsumers.fromBeginning(
                SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.COMMAND_RESULTS.topic());

        RecordSignatures commandKeys =
                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test");
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .commandSigningEventProducer("it", commandKeys));
                KafkaProducer<String, Event<?>> unsigned = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("forger"))) {
            try (ApplicationContext executor = executor(planFile)) {
                send(producer, promote);
                send(producer, promote);
                awaitResults(r -> r.commandId().equals(promote.commandId()), 2);

                assertThat(world.replica().replicationSourceIdentifier())
                        .as("moto: promoted")
                        .isNull();
                assertThat(promotions()).as("the duplicate did not reach AWS").isEqualTo(1);
                List<CommandResult> forPromote = resultsFor(promote.commandId());
                assertThat(forPromote.get(0).reason().code()).isEqualTo(ReasonCode.STEP_SUCCEEDED);
                assertThat(forPromote.get(1).reason().code()).isEqualTo(ReasonCode.DUPLICATE_COMMAND);
                assertThat(((CommandSucceeded) forPromote.get(1)).startedAt())
                        .isEqualTo(((CommandSucceeded) forPromote.get(0)).startedAt());

                SetCapacity stale = withEpoch((SetCapacity) commands.get("scale-compute"), 2);
                send(producer, stale);
                CommandResult rejected = awaitResults(r -> r.commandId().equals(stale.commandId()), 1)
                        .get(0);
                assertThat(rejected).isInstanceOfSatisfying(CommandRejected.class, r -> {
                    assertThat(r.reason().code()).isEqualTo(ReasonCode.EPOCH_STALE);
                    assertThat(r.highestEpochSeen()).isEqualTo(3);
                });
                assertThat(world.scaling().desiredCapacity())
                        .as("a stale command changes nothing")
                        .isZero();

                PromoteReplica misrouted = new PromoteReplica(
                        world.group,
                        "misrouted-" + world.suffix,
                        "fo-x",
                        "us-east-1",
                        3,
                        Instant.now(),
                        60_000,
                        false,
                        DatabaseKind.RDS_CLUSTER,
                        world.primaryCluster,
                        promote.reason(),
                        promote.evidence());
                producer.send(new ProducerRecord<>(
                                TopicFamily.COMMANDS.topic("us-west-2"), world.group, event(misrouted)))
                        .get();
                assertThat(awaitResults(r -> r.commandId().equals(misrouted.commandId()), 1)
                                .get(0)
                                .reason()
                                .code())
                        .isEqualTo(ReasonCode.WRONG_REGION);

                PromoteReplica forEast = new PromoteReplica(
                        world.group,
                        "east-" + world.suffix,
                        "fo-x",
                        "us-east-1",
                        3,
                        Instant.now(),
                        60_000,
                        false,
                        DatabaseKind.RDS_CLUSTER,
                        world.primaryCluster,
                        promote.reason(),
                        promote.evidence());
                send(producer, forEast);
                try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                        SharedKafka.clientSettings(), new StringSerializer(), new ByteArraySerializer())) {
                    raw.send(new ProducerRecord<>(
                                    TopicFamily.COMMANDS.topic("us-west-2"),
                                    world.group,
                                    ("garbage " + world.suffix).getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
                Command scale = commands.get("scale-compute");
                // The same command, unsigned (whoever holds the coordinator's Kafka credentials but not its key):
                // refused.
                send(unsigned, scale);
                Command signedElsewhere = withEpoch((SetCapacity) scale, 3);
                try (KafkaProducer<String, Event<?>> otherKey = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .commandSigningEventProducer(
                                        "other-key",
                                        RecordSignatures.parse(
                                                RecordSignatures.Kind.COMMANDS,
                                                "cmd:" + "b3RoZXItY29tbWFuZC1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyE=",
                                                "other")))) {
                    send(otherKey, signedElsewhere);
                }
                assertThat(deadLetteredReason(scale.commandId()))
                        .startsWith(ReasonCode.COMMAND_SIGNATURE_MISSING
                                + ": the command carries no dr.signature header: only the coordinator writes commands");
                assertThat(deadLetteredReason(signedElsewhere.commandId()))
                        .startsWith(ReasonCode.COMMAND_SIGNATURE_INVALID
                                + ": the command's signature by key 'cmd' does not match its content");
                assertThat(world.scaling().desiredCapacity())
                        .as("an unsigned or forged command changes nothing")
                        .isZero();
                send(producer, scale);
                awaitResults(r -> r.commandId().equals(scale.commandId()), 1);
                assertThat(world.scaling().desiredCapacity())
                        .as("after the garbage, the executor went on")
                        .isEqualTo(3);
                assertThat(resultsFor(forEast.commandId()))
                        .as("the us-east-1 topic is not this executor's")
                        .isEmpty();
                assertThat(deadLettered("garbage " + world.suffix)).isTrue();
            }

            try (ApplicationContext restarted = executor(planFile)) {
                send(producer, promote);
                List<CommandResult> forPromote = awaitResults(r -> r.commandId().equals(promote.commandId()), 3);
                assertThat(forPromote.get(2).reason().code())
                        .as("answered from the ledger rebuilt from Kafka")
                        .isEqualTo(ReasonCode.DUPLICATE_COMMAND);
                assertThat(promotions()).isEqualTo(1);
            }
        }
    }

    private int promotions() {
        return proxy.countRequestsMatching(postRequestedFor(urlEqualTo("/"))
                        .withRequestBody(containing("Action=PromoteReadReplicaDBCluster"))
                        .build())
                .getCount();
    }

    private void send(KafkaProducer<String, Event<?>> producer, Command command) throws Exception {
        producer.send(new ProducerRecord<>(
                        TopicFamily.COMMANDS.topic(command.region()), command.group(), event(command)))
                .get();
    }

    private static Event<?> event(Command command) {
        return Event.of(URI.create("/it/coordinator"), Instant.now(), command);
    }

    private List<CommandResult> awaitResults(Predicate<CommandResult> which, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, byte[]> record : resultsConsumer.poll(Duration.ofMillis(200))) {
                if (EventCodec.instance().decode(record.value()).data() instanceof CommandResult result
                        && result.group().equals(world.group)) {
                    results.add(result);
                }
            }
            return results.stream().filter(which).count() >= count;
        });
        return results.stream().filter(which).toList();
    }

    private List<CommandResult> resultsFor(String commandId) {
        return results.stream().filter(r -> r.commandId().equals(commandId)).toList();
    }

    private boolean deadLettered(String payload) {
        try (KafkaConsumer<String, byte[]> dead = TestConsumers.fromBeginning(
                SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DEADLETTER.topic())) {
            Set<String> seen = new HashSet<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.poll(Duration.ofMillis(200)).forEach(r -> seen.add(new String(r.value(), StandardCharsets.UTF_8)));
                return seen.contains(payload);
            });
            return seen.contains(payload);
        }
    }

    /** The reason the dead letter of the command with this id gives. */
    private String deadLetteredReason(String commandId) {
        String marker = "\"commandId\":\"" + commandId + "\"";
        try (KafkaConsumer<String, byte[]> dead = TestConsumers.fromBeginning(
                SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DEADLETTER.topic())) {
            List<String> reasons = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
                        reasons.add(new String(
                                r.headers()
                                        .lastHeader(DeadLetterHeaders.ERROR_MESSAGE)
                                        .value(),
                                StandardCharsets.UTF_8));
                    }
                });
                return !reasons.isEmpty();
            });
            return reasons.get(0);
        }
    }

    private static SetCapacity withEpoch(SetCapacity c, long epoch) {
        return new SetCapacity(
                c.group(),
                c.commandId() + "-stale",
                c.failoverId(),
                c.region(),
                epoch,
                c.issuedAt(),
                c.timeoutMillis(),
                c.dryRun(),
                c.autoScalingGroupName(),
                c.minSize(),
                c.desiredCapacity(),
                c.maxSize(),
                c.minInService(),
                null,
                c.reason(),
                c.evidence());
    }
}
