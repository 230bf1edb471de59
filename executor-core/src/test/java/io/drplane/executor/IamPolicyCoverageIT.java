package io.drplane.executor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.drplane.aws.AwsCalls;
import io.drplane.aws.ResilienceSettings;
import io.drplane.events.Command;
import io.drplane.events.CommandResult;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.EventType;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverGlobalCluster;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.executor.action.CommandRunner;
import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Plan;
import io.drplane.testsupport.MotoServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The IAM policies in deploy/iam/ cover what the code calls: every command kind runs for real and in dry run, the
 * SDK records each operation it sends, and each must be allowed by that command's policy (dry runs: dry-run.json).
 */
class IamPolicyCoverageIT {

    private static final Path POLICIES = Path.of("..", "deploy", "iam");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Records "service:Operation" as IAM spells it, for every request the SDK sends. */
    static final class Recorder implements ExecutionInterceptor {
        final List<String> actions = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            actions.add(
                    attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT) + ":"
                            + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }

    @Test
    void shouldAllowEveryOperationEachCommandCallsAndNoWildcardActions() throws Exception {
        AwsWorld world = new AwsWorld().create();
        Plan plan = AwsWorld.load(world.plan(dir, "automatic"));
        Recorder recorder = new Recorder();
        try (AwsClients clients = new AwsClients(
                        "us-west-2",
                        Optional.of(MotoServer.shared().endpoint()),
                        AwsWorld.CREDENTIALS,
                        Duration.ofSeconds(10),
                        List.of(recorder));
                AwsCalls calls = new AwsCalls("us-west-2", ResilienceSettings.defaults())) {
            CommandRunner runner =
                    new CommandRunner(clients, calls, plan, false, Duration.ofMillis(20), Clock.systemUTC());
            for (Command dry :
                    AwsWorld.runbookCommands(plan, world.group, 1, true).values()) {
                assertCovered(runner, dry, "dry-run.json", recorder);
            }
            for (Command command :
                    AwsWorld.runbookCommands(plan, world.group, 2, false).values()) {
                assertCovered(runner, command, policyFile(command), recorder);
            }
        }

        WireMockServer wiremock = new WireMockServer(options().dynamicPort());
        wiremock.start();
        String west = "arn:aws:rds:us-west-2:123456789012:cluster:orders-usw2";
        wiremock.stubFor(
                post(urlEqualTo("/"))
                        .withRequestBody(containing("Action=DescribeGlobalClusters"))
                        .willReturn(
                                aResponse()
                                        .withBody(
                                                "<DescribeGlobalClustersResponse><DescribeGlobalClustersResult><GlobalClusters><GlobalClusterMember>"
                                                        + "<GlobalClusterIdentifier>orders</GlobalClusterIdentifier><Status>available</Status><GlobalClusterMembers>"
                                                        + "<GlobalClusterMember><DBClusterArn>" + west
                                                        + "</DBClusterArn><IsWriter>false</IsWriter></GlobalClusterMember>"
                                                        + "</GlobalClusterMembers></GlobalClusterMember></GlobalClusters></DescribeGlobalClustersResult></DescribeGlobalClustersResponse>")));
        try (AwsClients clients = new AwsClients(
                        "us-west-2",
                        Optional.of(URI.create(wiremock.baseUrl())),
                        AwsWorld.CREDENTIALS,
                        Duration.ofSeconds(10),
                        List.of(recorder));
                AwsCalls calls = new AwsCalls("us-west-2", ResilienceSettings.defaults())) {
            CommandRunner runner =
                    new CommandRunner(clients, calls, plan, false, Duration.ofMillis(20), Clock.systemUTC());
            for (boolean allowDataLoss : List.of(true, false)) {
                FailoverGlobalCluster global = new FailoverGlobalCluster(
                        "orders",
                        "g-" + allowDataLoss,
                        "fo-1",
                        "us-west-2",
                        1,
                        Instant.now(),
                        300,
                        false,
                        "orders",
                        west,
                        allowDataLoss,
                        Reason.of(ReasonCode.RUNBOOK_STEP, "promote."),
                        Evidence.none());
                recorder.actions.clear();
                runner.run(global); // WireMock never shows the new writer: the wait times out, after the mutating call
                assertThat(recorder.actions)
                        .contains(allowDataLoss ? "rds:FailoverGlobalCluster" : "rds:SwitchoverGlobalCluster");
                assertThat(allowed("failover-global-cluster.json")).containsAll(recorder.actions);
            }
        } finally {
            wiremock.stop();
        }

        try (var files = Files.list(POLICIES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                assertThat(allowed(file.getFileName().toString()))
                        .as(file + " names every action")
                        .noneMatch(a -> a.contains("*"));
            }
        }
    }

    private static void assertCovered(CommandRunner runner, Command command, String policy, Recorder recorder)
            throws Exception {
        recorder.actions.clear();
        CommandResult result = runner.run(command);
        assertThat(result)
                .as(command.getClass().getSimpleName() + ": " + result)
                .isInstanceOf(CommandSucceeded.class);
        assertThat(recorder.actions).as(command.getClass().getSimpleName()).isNotEmpty();
        assertThat(allowed(policy))
                .as(
                        "%s allows what %s calls",
                        policy, EventType.of(command.getClass()).typeName())
                .containsAll(recorder.actions);
    }

    private static String policyFile(Command command) {
        String typeName = EventType.of(command.getClass()).typeName(); // io.drplane.command.<kind>.v1
        return typeName.substring("io.drplane.command.".length(), typeName.length() - ".v1".length()) + ".json";
    }

    static Set<String> allowed(String policy) throws Exception {
        JsonNode document = JSON.readTree(POLICIES.resolve(policy).toFile());
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : document.path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            StreamSupport.stream(statement.path("Action").spliterator(), false)
                    .map(JsonNode::asText)
                    .forEach(actions::add);
        }
        return actions;
    }
}
