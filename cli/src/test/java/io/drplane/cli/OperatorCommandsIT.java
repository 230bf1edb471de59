package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.coordinator.FailoverCoordinatorApplication;
import io.drplane.events.DrillRequested;
import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.drplane.testsupport.TestKeys;
import io.drplane.testsupport.TestPlans;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** drplane status, approve and drill against a running coordinator's API. */
class OperatorCommandsIT {

    @TempDir
    Path dir;

    @Test
    void shouldShowStatusAndWriteOperatorEventsThroughTheApi() throws Exception {
        String group = "op-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        Path plan = TestPlans.minimal(dir, group, "approval");
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
                                "ops-" + group,
                                "micronaut.server.port",
                                -1,
                                "drplane.operator-keys",
                                TestKeys.OPERATOR_KEYS,
                                "drplane.command-keys",
                                TestKeys.COMMAND_KEYS,
                                "drplane.api.tokens",
                                "t0k3n:carol:operate,r34d:dave:read"))
                        .start();
                KafkaConsumer<String, byte[]> operator = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.OPERATOR.topic())) {
            String url = context.getBean(EmbeddedServer.class).start().getURI().toString();

            StringWriter status = new StringWriter();
            assertThat(new CommandLine(new DrplaneCli())
                            .setOut(new PrintWriter(status))
                            .execute("status", group, "--url", url, "--token", "r34d"))
                    .isZero();
            assertThat(status.toString())
                    .startsWith("Group " + group + " (")
                    .contains(" approval mode)")
                    .contains("  primary    us-east-1");

            StringWriter table = new StringWriter();
            assertThat(new CommandLine(new DrplaneCli())
                            .setOut(new PrintWriter(table))
                            .execute("status", "--url", url, "--token", "r34d"))
                    .isZero();
            assertThat(table.toString())
                    .startsWith("GROUP")
                    .containsPattern("(?m)^" + group + " +approval +us-east-1 ");

            StringWriter json = new StringWriter();
            assertThat(new CommandLine(new DrplaneCli())
                            .setOut(new PrintWriter(json))
                            .execute("status", group, "--json", "--url", url, "--token", "r34d"))
                    .isZero();
            assertThat(json.toString()).contains("\"group\":\"" + group + "\"").contains("\"mode\":\"APPROVAL\"");

            StringWriter unknown = new StringWriter();
            assertThat(new CommandLine(new DrplaneCli())
                            .setErr(new PrintWriter(unknown))
                            .execute("status", "no-such-group", "--url", url, "--token", "r34d"))
                    .isEqualTo(1);
            assertThat(unknown.toString()).contains("no group no-such-group in the plan");

            StringWriter denied = new StringWriter();
            assertThat(new CommandLine(new DrplaneCli())
                            .setErr(new PrintWriter(denied))
                            .execute("approve", group, "--url", url))
                    .isEqualTo(1);
            assertThat(denied.toString()).contains("a bearer token is required");
            StringWriter unread = new StringWriter();
            assertThat(new CommandLine(new DrplaneCli())
                            .setErr(new PrintWriter(unread))
                            .execute("status", "--url", url))
                    .as("reading needs a token too")
                    .isEqualTo(1);
            assertThat(unread.toString()).contains("a bearer token is required");
            StringWriter readOnly = new StringWriter();
            assertThat(new CommandLine(new DrplaneCli())
                            .setErr(new PrintWriter(readOnly))
                            .execute("abort", group, "--url", url, "--token", "r34d"))
                    .isEqualTo(1);
            assertThat(readOnly.toString()).contains("dave may read but not operate");

            StringWriter nothingHeld = new StringWriter();
            assertThat(new CommandLine(new DrplaneCli())
                            .setOut(new PrintWriter(new StringWriter()))
                            .setErr(new PrintWriter(nothingHeld))
                            .execute(
                                    "approve",
                                    group,
                                    "--url",
                                    url,
                                    "--token",
                                    "t0k3n",
                                    "--failover-id",
                                    "f-1",
                                    "--comment",
                                    "primary confirmed dead"))
                    .as("an approval with nothing held is refused, and says so")
                    .isEqualTo(1);
            assertThat(nothingHeld.toString())
                    .contains("nothing to approve: no failover or re-protect of " + group + " is held");
            assertThat(new CommandLine(new DrplaneCli())
                            .setOut(new PrintWriter(new StringWriter()))
                            .execute("drill", group, "--to", "us-west-2", "--url", url, "--token", "t0k3n"))
                    .isZero();

            List<Object> written = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : operator.poll(Duration.ofMillis(200))) {
                    Event<?> e = EventCodec.instance().decode(r.value());
                    if (e.subject().equals(group)) {
                        written.add(e.data());
                    }
                }
                return !written.isEmpty();
            });
            assertThat(written)
                    .as("nothing written for the refused approval")
                    .singleElement()
                    .isInstanceOfSatisfying(
                            DrillRequested.class, d -> assertThat(d.principal()).isEqualTo("carol"));
        }
    }
}
