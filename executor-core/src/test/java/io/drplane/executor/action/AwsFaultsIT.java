package io.drplane.executor.action;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.drplane.aws.AwsCalls;
import io.drplane.aws.AwsService;
import io.drplane.aws.ResilienceSettings;
import io.drplane.events.CommandFailed;
import io.drplane.events.CommandResult;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.DatabaseKind;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverGlobalCluster;
import io.drplane.events.PromoteReplica;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.Verify;
import io.drplane.events.VerifyCheck;
import io.drplane.events.VerifyKind;
import io.drplane.executor.AwsWorld;
import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.TestPlans;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What moto lacks (Aurora global database failover and switchover, an RDS instance that shows its promotion) and
 * injected faults, with WireMock speaking the RDS Query protocol to the real SDK over HTTP.
 */
class AwsFaultsIT {

    private static final String EAST = "arn:aws:rds:us-east-1:123456789012:cluster:orders-use1";
    private static final String WEST = "arn:aws:rds:us-west-2:123456789012:cluster:orders-usw2";

    @TempDir
    Path dir;

    private final WireMockServer wiremock = new WireMockServer(options().dynamicPort());
    private AwsClients clients;
    private AwsCalls calls;
    private CommandRunner runner;

    @BeforeEach
    void start() {
        wiremock.start();
        clients = new AwsClients(
                "us-west-2",
                Optional.of(URI.create(wiremock.baseUrl())),
                AwsWorld.CREDENTIALS,
                Duration.ofMillis(400),
                List.of());
        calls = new AwsCalls(
                "us-west-2",
                new ResilienceSettings(
                        4,
                        Duration.ofMillis(10),
                        2.0,
                        Duration.ofMillis(50),
                        0.5,
                        50f,
                        10,
                        5,
                        Duration.ofSeconds(60),
                        100,
                        Duration.ofSeconds(1),
                        Duration.ofMillis(300)));
        Plan plan = PlanLoader.load(TestPlans.minimal(dir, "orders", "automatic"));
        runner = new CommandRunner(clients, calls, plan, false, Duration.ofMillis(20), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        calls.close();
        clients.close();
        wiremock.stop();
    }

    @Test
    void shouldFailOverAGlobalDatabaseWithDataLossAllowedAndWaitForTheNewWriter() {
        stubFor(rds("DescribeGlobalClusters")
                .inScenario("global")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("DescribeGlobalClusters", globalClusters(EAST))));
        stubFor(rds("FailoverGlobalCluster")
                .inScenario("global")
                .willSetStateTo("moving")
                .willReturn(ok(
                        "FailoverGlobalCluster",
                        "<GlobalCluster><GlobalClusterIdentifier>orders</GlobalClusterIdentifier></GlobalCluster>")));
        stubFor(rds("DescribeGlobalClusters")
                .inScenario("global")
                .whenScenarioStateIs("moving")
                .willSetStateTo("moved")
                .willReturn(ok("DescribeGlobalClusters", globalClusters(EAST).replace("available", "failing-over"))));
        stubFor(rds("DescribeGlobalClusters")
                .inScenario("global")
                .whenScenarioStateIs("moved")
                .willReturn(ok("DescribeGlobalClusters", globalClusters(WEST))));

        CommandSucceeded result = succeeded(runner.run(global(true)));

        assertThat(result.reason().code()).isEqualTo(ReasonCode.STEP_SUCCEEDED);
        assertThat(result.reason().message())
                .isEqualTo("Global database orders: failed over from " + EAST + " to " + WEST + ".");
        wiremock.verify(
                1,
                postRequestedFor(urlEqualTo("/"))
                        .withRequestBody(containing("Action=FailoverGlobalCluster"))
                        .withRequestBody(containing("AllowDataLoss=true"))
                        .withRequestBody(containing("TargetDbClusterIdentifier=" + encoded(WEST))));
        wiremock.verify(
                3, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=DescribeGlobalClusters")));

        CommandSucceeded again = succeeded(runner.run(global(true)));
        assertThat(again.reason().code()).isEqualTo(ReasonCode.ALREADY_IN_DESIRED_STATE);
        wiremock.verify(
                1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=FailoverGlobalCluster")));
    }

    @Test
    void shouldSwitchOverAGlobalDatabaseForAPlannedSwitchover() {
        stubFor(rds("DescribeGlobalClusters")
                .inScenario("global")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("DescribeGlobalClusters", globalClusters(EAST))));
        stubFor(rds("SwitchoverGlobalCluster")
                .inScenario("global")
                .willSetStateTo("moved")
                .willReturn(ok(
                        "SwitchoverGlobalCluster",
                        "<GlobalCluster><GlobalClusterIdentifier>orders</GlobalClusterIdentifier></GlobalCluster>")));
        stubFor(rds("DescribeGlobalClusters")
                .inScenario("global")
                .whenScenarioStateIs("moved")
                .willReturn(ok("DescribeGlobalClusters", globalClusters(WEST))));

        CommandSucceeded result = succeeded(runner.run(global(false)));

        assertThat(result.reason().message())
                .isEqualTo("Global database orders: switched over from " + EAST + " to " + WEST + ".");
        wiremock.verify(
                0, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=FailoverGlobalCluster")));
    }

    @Test
    void shouldRetryThrottlingWithBackoffAndCountTheAttempts() {
        stubReplicaThenStandalone();
        stubFor(rds("PromoteReadReplica")
                .inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("once")
                .willReturn(error(400, "Throttling", "Rate exceeded")));
        stubFor(rds("PromoteReadReplica")
                .inScenario("throttle")
                .whenScenarioStateIs("once")
                .willSetStateTo("twice")
                .willReturn(error(400, "Throttling", "Rate exceeded")));
        stubFor(rds("PromoteReadReplica")
                .inScenario("throttle")
                .whenScenarioStateIs("twice")
                .willSetStateTo("promoted")
                .willReturn(ok(
                        "PromoteReadReplica",
                        "<DBInstance><DBInstanceIdentifier>orders-usw2</DBInstanceIdentifier></DBInstance>")));

        CommandSucceeded result = succeeded(runner.run(promote()));

        assertThat(result.attempts())
                .as("two throttled attempts, then one that worked")
                .isEqualTo(3);
        assertThat(result.reason().message())
                .isEqualTo("Promoted read replica orders-usw2 (was replicating from orders-use1); it is available.");
        wiremock.verify(3, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=PromoteReadReplica")));
    }

    @Test
    void shouldNeverRetryAccessDenied() {
        stubReplicaThenStandalone();
        stubFor(
                rds("PromoteReadReplica")
                        .willReturn(
                                error(
                                        403,
                                        "AccessDenied",
                                        "User: arn:aws:iam::123456789012:role/drplane-executor is not authorized to perform: rds:PromoteReadReplica")));

        CommandFailed failed = failed(runner.run(promote()));

        assertThat(failed.errorCode()).isEqualTo("AccessDenied");
        assertThat(failed.errorMessage()).contains("not authorized to perform: rds:PromoteReadReplica");
        assertThat(failed.awsRequestId()).isEqualTo("req-err-1");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.reason().code()).isEqualTo(ReasonCode.AWS_ERROR);
        assertThat(failed.reason().message())
                .startsWith(
                        "io.drplane.command.promote-replica.v1 failed in us-west-2 after 1 attempt(s): AccessDenied:");
        wiremock.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=PromoteReadReplica")));
        assertThat(calls.circuit(AwsService.RDS))
                .as("access denied says nothing about RDS's health")
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldReportAccessDeniedWhenVerifyingADatabaseNotReadItAsNoInstance() {
        stubFor(
                rds("DescribeDBInstances")
                        .willReturn(
                                error(
                                        403,
                                        "AccessDenied",
                                        "User: arn:aws:iam::123456789012:role/drplane-executor is not authorized to perform: rds:DescribeDBInstances")));

        Plan withDns = PlanLoader.load(TestPlans.warmStandby(dir, "orders", "automatic"));
        CommandRunner verifier =
                new CommandRunner(clients, calls, withDns, false, Duration.ofMillis(20), Clock.systemUTC());
        CommandFailed failed = failed(verifier.run(new Verify(
                "orders",
                "cmd-" + System.nanoTime(),
                "fo-1",
                "us-west-2",
                1,
                Instant.now(),
                60_000,
                false,
                List.of(new VerifyCheck(VerifyKind.DATABASE_WRITABLE, "orders-usw2", "available")),
                Reason.of(ReasonCode.RUNBOOK_STEP, "verify."),
                Evidence.none())));

        assertThat(failed.errorCode()).isEqualTo("AccessDenied");
        assertThat(failed.errorMessage()).contains("not authorized to perform: rds:DescribeDBInstances");
        wiremock.verify(0, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=DescribeDBClusters")));
    }

    @Test
    void shouldOpenTheCircuitInAStormOf5xxAndThenFailFastWithoutCallingAws() {
        stubFor(rds("DescribeDBInstances").willReturn(error(503, "ServiceUnavailable", "Service is unavailable")));

        CommandFailed first = failed(runner.run(promote()));
        assertThat(first.errorCode()).isIn("ServiceUnavailable", "CircuitOpen");
        assertThat(first.retryable()).isTrue();
        CommandFailed second = failed(runner.run(promote()));
        int served = wiremock.getAllServeEvents().size();
        CommandFailed third = failed(runner.run(promote()));

        assertThat(calls.circuit(AwsService.RDS)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(third.errorCode()).isEqualTo("CircuitOpen");
        assertThat(third.reason().message()).contains("CircuitOpen");
        assertThat(second.errorCode()).isEqualTo("CircuitOpen");
        assertThat(wiremock.getAllServeEvents())
                .as("an open circuit does not call AWS")
                .hasSize(served);
        assertThat(calls.circuit(AwsService.ROUTE53))
                .as("one circuit per service")
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldGiveUpOnSlowAnswersAtTheTimeLimit() {
        stubFor(rds("DescribeDBInstances")
                .willReturn(ok("DescribeDBInstances", instance("available", "orders-use1"))
                        .withFixedDelay(2_000)));

        CommandFailed failed = failed(runner.run(promote()));

        assertThat(failed.errorCode()).isEqualTo("TimeLimitExceeded");
        assertThat(failed.reason().code()).isEqualTo(ReasonCode.STEP_TIMED_OUT);
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.attempts())
                .as("each slow attempt is cut at the limit and retried")
                .isEqualTo(4);
        assertThat(failed.durationMillis()).isLessThan(2_000 * 4);
    }

    /** A read replica until PromoteReadReplica succeeds (scenario state "promoted"), standalone after. */
    private void stubReplicaThenStandalone() {
        stubFor(rds("DescribeDBInstances")
                .inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("DescribeDBInstances", instance("available", "orders-use1"))));
        stubFor(rds("DescribeDBInstances")
                .inScenario("throttle")
                .whenScenarioStateIs("once")
                .willReturn(ok("DescribeDBInstances", instance("available", "orders-use1"))));
        stubFor(rds("DescribeDBInstances")
                .inScenario("throttle")
                .whenScenarioStateIs("twice")
                .willReturn(ok("DescribeDBInstances", instance("available", "orders-use1"))));
        stubFor(rds("DescribeDBInstances")
                .inScenario("throttle")
                .whenScenarioStateIs("promoted")
                .willReturn(ok("DescribeDBInstances", instance("available", null))));
    }

    private void stubFor(MappingBuilder mapping) {
        wiremock.stubFor(mapping);
    }

    private static MappingBuilder rds(String action) {
        return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
    }

    private static ResponseDefinitionBuilder ok(String action, String result) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/xml")
                .withBody("<" + action + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><"
                        + action + "Result>" + result + "</" + action
                        + "Result><ResponseMetadata><RequestId>req-ok-1</RequestId></ResponseMetadata></"
                        + action + "Response>");
    }

    private static ResponseDefinitionBuilder error(int status, String code, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "text/xml")
                .withHeader("x-amzn-RequestId", "req-err-1")
                .withBody(
                        "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>Sender</Type><Code>"
                                + code + "</Code><Message>" + message
                                + "</Message></Error><RequestId>req-err-1</RequestId></ErrorResponse>");
    }

    private static String globalClusters(String writer) {
        return "<GlobalClusters><GlobalClusterMember><GlobalClusterIdentifier>orders</GlobalClusterIdentifier><Status>available</Status>"
                + "<GlobalClusterMembers>"
                + "<GlobalClusterMember><DBClusterArn>" + EAST + "</DBClusterArn><IsWriter>" + EAST.equals(writer)
                + "</IsWriter></GlobalClusterMember>"
                + "<GlobalClusterMember><DBClusterArn>" + WEST + "</DBClusterArn><IsWriter>" + WEST.equals(writer)
                + "</IsWriter></GlobalClusterMember>"
                + "</GlobalClusterMembers></GlobalClusterMember></GlobalClusters>";
    }

    private static String instance(String status, String source) {
        return "<DBInstances><DBInstance><DBInstanceIdentifier>orders-usw2</DBInstanceIdentifier><DBInstanceStatus>"
                + status + "</DBInstanceStatus>"
                + (source == null
                        ? ""
                        : "<ReadReplicaSourceDBInstanceIdentifier>" + source
                                + "</ReadReplicaSourceDBInstanceIdentifier>")
                + "</DBInstance></DBInstances>";
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static PromoteReplica promote() {
        return new PromoteReplica(
                "orders",
                "cmd-" + System.nanoTime(),
                "fo-1",
                "us-west-2",
                1,
                Instant.now(),
                60_000,
                false,
                DatabaseKind.RDS_INSTANCE,
                "orders-usw2",
                Reason.of(ReasonCode.RUNBOOK_STEP, "promote-database."),
                Evidence.none());
    }

    private static FailoverGlobalCluster global(boolean allowDataLoss) {
        return new FailoverGlobalCluster(
                "orders",
                "cmd-" + System.nanoTime(),
                "fo-1",
                "us-west-2",
                1,
                Instant.now(),
                60_000,
                false,
                "orders",
                WEST,
                allowDataLoss,
                Reason.of(ReasonCode.RUNBOOK_STEP, "promote-database."),
                Evidence.none());
    }

    private static CommandSucceeded succeeded(CommandResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(CommandSucceeded.class);
        return (CommandSucceeded) result;
    }

    private static CommandFailed failed(CommandResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(CommandFailed.class);
        return (CommandFailed) result;
    }
}
