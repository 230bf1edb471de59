package io.drplane.healthmonitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drplane.events.Event;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.MotoServer;
import io.drplane.testsupport.SecuredKafka;
import io.drplane.testsupport.ServiceHealth;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheckType;

/**
 * The health monitor against real servers that fail in every way it classifies, with its observations read back
 * from the real broker; the AWS-native sources against moto.
 */
class HealthMonitorIT {

    private static final String VANTAGE = "it-vantage";
    /** The monitor runs as its own principal with the health monitor's ACLs, as deployed. */
    private static final Path MONITOR_PRINCIPAL = SharedKafka.propertiesFile(SharedKafka.principal(
            "monitor-it", p -> ServiceAcls.of(ServiceAcls.Service.HEALTH_MONITOR, p, null, List.of())));

    @TempDir
    static Path dir;

    static TestTargets servers;
    static String healthCheckId;
    static String targetGroupArn;
    static String alarmName = "shop-5xx-" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void startServers() throws Exception {
        servers = new TestTargets(dir);
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        MotoServer moto = MotoServer.shared();
        moto.reset();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        try (Route53Client route53 = Route53Client.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.AWS_GLOBAL)
                        .credentialsProvider(credentials)
                        .build();
                CloudWatchClient cloudWatch = CloudWatchClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .build()) {
            healthCheckId = route53.createHealthCheck(
                            r -> r.callerReference(UUID.randomUUID().toString())
                                    .healthCheckConfig(c -> c.type(HealthCheckType.HTTPS)
                                            .fullyQualifiedDomainName("shop.example.com")
                                            .port(443)
                                            .resourcePath("/healthz")))
                    .healthCheck()
                    .id();
            cloudWatch.putMetricAlarm(r -> r.alarmName(alarmName)
                    .namespace("AWS/ApplicationELB")
                    .metricName("HTTPCode_Target_5XX_Count")
                    .statistic(Statistic.SUM)
                    .period(60)
                    .evaluationPeriods(1)
                    .threshold(10.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
            cloudWatch.setAlarmState(
                    r -> r.alarmName(alarmName).stateValue(StateValue.ALARM).stateReason("5xx above 10 per minute"));
        }
        try (Ec2Client ec2 = Ec2Client.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .build();
                ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .build()) {
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
            targetGroupArn = elb.createTargetGroup(
                            r -> r.name("web-" + UUID.randomUUID().toString().substring(0, 6))
                                    .protocol(ProtocolEnum.HTTP)
                                    .port(80)
                                    .vpcId(vpc)
                                    .targetType(TargetTypeEnum.IP))
                    .targetGroups()
                    .get(0)
                    .targetGroupArn();
            elb.registerTargets(r -> r.targetGroupArn(targetGroupArn)
                    .targets(t -> t.id("10.0.0.5").port(80)));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        servers.close();
    }

    @Test
    void shouldPublishEveryFailureClassFromRealServersToTheBroker() throws Exception {
        String group = "hm-" + UUID.randomUUID().toString().substring(0, 8);
        Path plan = writePlan(
                group,
                """
                          - { name: up, kind: http, url: "%s", bodyContains: ok }
                          - { name: error, kind: http, url: "%s" }
                          - { name: slow, kind: http, url: "%s" }
                          - { name: wrong-body, kind: http, url: "%s", bodyContains: ok }
                          - { name: flapping, kind: http, url: "%s" }
                          - { name: hanging, kind: http, url: "%s" }
                          - { name: refused, kind: http, url: "http://127.0.0.1:%d/health" }
                          - { name: self-signed, kind: https, url: "%s" }
                          - { name: no-dns, kind: http, url: "http://no-such-host.invalid/health" }
                          - { name: tcp-up, kind: tcp, host: 127.0.0.1, port: %d }
                          - { name: tcp-refused, kind: tcp, host: 127.0.0.1, port: %d }
                          - { name: route53, kind: route53-health-check, healthCheckId: %s }
                          - { name: alarm, kind: cloudwatch-alarm, alarmName: %s }
                          - { name: elb, kind: elb-target-health, targetGroupArn: "%s" }
                """
                        .formatted(
                                servers.http("/ok"),
                                servers.http("/error"),
                                servers.http("/slow"),
                                servers.http("/wrong-body"),
                                servers.http("/flap"),
                                servers.hangingUrl(),
                                servers.closedPort(),
                                servers.https("/ok"),
                                servers.httpPort(),
                                servers.closedPort(),
                                healthCheckId,
                                alarmName,
                                targetGroupArn));

        Map<String, List<HealthObserved>> seen = new ConcurrentHashMap<>();
        String prometheus;
        try (ApplicationContext context = start(plan, SharedKafka.bootstrapServers(), Map.of());
                KafkaConsumer<String, byte[]> consumer = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.HEALTH.topic())) {
            Set<String> wanted = Set.of(
                    "up",
                    "error",
                    "slow",
                    "wrong-body",
                    "hanging",
                    "refused",
                    "self-signed",
                    "no-dns",
                    "tcp-up",
                    "tcp-refused",
                    "route53",
                    "alarm",
                    "elb");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    HealthObserved observed = decode(record);
                    if (observed != null && observed.group().equals(group)) {
                        seen.computeIfAbsent(observed.target(), t -> new ArrayList<>())
                                .add(observed);
                    }
                }
                return seen.keySet().containsAll(wanted) && flapped(seen.get("flapping"));
            });
            URI base = context.getBean(EmbeddedServer.class).start().getURI();
            prometheus = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(base.resolve("/prometheus")).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
        assertThat(prometheus)
                .contains(
                        "drplane_health_probes_total{",
                        "outcome=\"TIMEOUT\"",
                        "drplane_health_probe_latency_seconds_bucket{",
                        "drplane_health_schedule_lag_seconds",
                        "drplane_health_buffer_depth",
                        "drplane_health_observations_dropped_total",
                        "drplane_health_probes_skipped_total");

        assertObserved(seen, "up", ProbeSource.HTTP, ProbeOutcome.OK);
        assertThat(first(seen, "up").statusCode()).isEqualTo(200);
        assertObserved(seen, "error", ProbeSource.HTTP, ProbeOutcome.STATUS);
        assertThat(first(seen, "error").statusCode()).isEqualTo(500);
        assertObserved(seen, "slow", ProbeSource.HTTP, ProbeOutcome.TIMEOUT);
        assertThat(first(seen, "slow").latencyMillis())
                .as("gave up after connect + response timeouts, not after 3 s")
                .isBetween(1_500L, 2_900L);
        assertObserved(seen, "wrong-body", ProbeSource.HTTP, ProbeOutcome.BODY_MISMATCH);
        assertObserved(seen, "hanging", ProbeSource.HTTP, ProbeOutcome.TIMEOUT);
        assertObserved(seen, "refused", ProbeSource.HTTP, ProbeOutcome.REFUSED);
        assertObserved(seen, "self-signed", ProbeSource.HTTPS, ProbeOutcome.TLS);
        assertObserved(seen, "no-dns", ProbeSource.HTTP, ProbeOutcome.DNS);
        assertThat(first(seen, "no-dns").detail()).isEqualTo("cannot resolve no-such-host.invalid");
        assertObserved(seen, "tcp-up", ProbeSource.TCP, ProbeOutcome.OK);
        assertObserved(seen, "tcp-refused", ProbeSource.TCP, ProbeOutcome.REFUSED);
        assertObserved(seen, "route53", ProbeSource.ROUTE53_HEALTH_CHECK, ProbeOutcome.OK);
        assertObserved(seen, "alarm", ProbeSource.CLOUDWATCH_ALARM, ProbeOutcome.STATUS);
        assertThat(first(seen, "alarm").detail()).contains("is ALARM").contains("5xx above 10 per minute");
        assertObserved(seen, "elb", ProbeSource.ELB_TARGET_HEALTH, ProbeOutcome.OK);
        assertThat(first(seen, "elb").detail()).isEqualTo("1 of 1 targets healthy");
        assertThat(seen.get("flapping"))
                .extracting(HealthObserved::outcome)
                .contains(ProbeOutcome.OK, ProbeOutcome.STATUS);
        assertThat(seen.values().stream().flatMap(List::stream)).allSatisfy(o -> {
            assertThat(o.vantage()).isEqualTo(VANTAGE);
            assertThat(o.region()).isEqualTo("us-east-1");
        });
    }

    @Test
    void shouldKeepProbingAndCountDropsWhileKafkaIsUnreachable() throws Exception {
        String group = "hm-" + UUID.randomUUID().toString().substring(0, 8);
        Path plan = writePlan(
                group,
                "          - { name: up, kind: http, url: \"%s\", interval: 1s }\n".formatted(servers.http("/ok")));
        String nowhere = "127.0.0.1:" + MotoServer.freePort();
        try (ApplicationContext context = start(plan, nowhere, Map.of("drplane.health.buffer-capacity", 2))) {
            HealthMonitor monitor = context.getBean(HealthMonitor.class);
            MeterRegistry metrics = context.getBean(MeterRegistry.class);

            await().atMost(Duration.ofSeconds(30)).until(() -> monitor.buffer().dropped() >= 2);

            assertThat(monitor.buffer().depth())
                    .as("bounded; the publisher may hold one in hand")
                    .isBetween(1, 2);
            assertThat(metrics.get("drplane.health.probes")
                            .tag("target", "up")
                            .tag("outcome", "OK")
                            .counter()
                            .count())
                    .as("probing went on without Kafka")
                    .isGreaterThanOrEqualTo(4);
            assertThat(metrics.get("drplane.health.observations.dropped")
                            .functionCounter()
                            .count())
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void shouldSayOnHealthWhenTheBrokerRefusesItsCredentials() throws Exception {
        String group = "hm-" + UUID.randomUUID().toString().substring(0, 8);
        Path plan = writePlan(
                group,
                "          - { name: up, kind: http, url: \"%s\", interval: 1s }\n".formatted(servers.http("/ok")));
        try (SecuredKafka kafka = SecuredKafka.start()) {
            kafka.user("monitor");
            Map<String, Object> wrong = kafka.userWithPassword("monitor", "not-the-password");
            try (ApplicationContext context = start(
                    plan,
                    kafka.bootstrapServers(),
                    Map.of(
                            "kafka.security.protocol", wrong.get("security.protocol"),
                            "kafka.sasl.mechanism", wrong.get("sasl.mechanism"),
                            "kafka.sasl.jaas.config", wrong.get("sasl.jaas.config")))) {
                String body = ServiceHealth.awaitDown(
                        context.getBean(EmbeddedServer.class).start().getURI(), Duration.ofSeconds(60));
                System.out.println("health monitor with wrong credentials: /health " + body);
                assertThat(body)
                        .as("DOWN, saying why")
                        .containsIgnoringCase("authentication")
                        .doesNotContain("not-the-password");
            }
        }
    }

    @Test
    void shouldRefuseToStartOnABadTargetNamingEachPath() throws Exception {
        Path plan = writePlan(
                "bad",
                """
                          - { name: no-scheme, kind: http, url: "shop.example.com/health" }
                          - { name: port-zero, kind: tcp, host: db.internal, port: 0 }
                          - { name: never, kind: http, url: "http://shop.example.com/health", interval: 0s }
                """);
        assertThatThrownBy(() -> start(plan, SharedKafka.bootstrapServers(), Map.of()))
                .hasStackTraceContaining("groups[0].regions[0].targets[0].url")
                .hasStackTraceContaining("'shop.example.com/health' is not allowed")
                .hasStackTraceContaining("groups[0].regions[0].targets[1].port")
                .hasStackTraceContaining("groups[0].regions[0].targets[2].interval");
    }

    private static boolean flapped(List<HealthObserved> observed) {
        if (observed == null) {
            return false;
        }
        EnumSet<ProbeOutcome> outcomes = EnumSet.noneOf(ProbeOutcome.class);
        observed.forEach(o -> outcomes.add(o.outcome()));
        return outcomes.contains(ProbeOutcome.OK) && outcomes.contains(ProbeOutcome.STATUS);
    }

    private static void assertObserved(
            Map<String, List<HealthObserved>> seen, String target, ProbeSource source, ProbeOutcome outcome) {
        HealthObserved observed = first(seen, target);
        assertThat(observed.source()).as(target + " source").isEqualTo(source);
        assertThat(observed.outcome())
                .as(target + " outcome (" + observed.detail() + ")")
                .isEqualTo(outcome);
    }

    private static HealthObserved first(Map<String, List<HealthObserved>> seen, String target) {
        assertThat(seen).containsKey(target);
        return seen.get(target).get(0);
    }

    private static HealthObserved decode(ConsumerRecord<String, byte[]> record) {
        try {
            Event<?> event = EventCodec.instance().decode(record.value());
            return event.data() instanceof HealthObserved observed ? observed : null;
        } catch (EventDecodingException e) {
            return null;
        }
    }

    /** A plan with the given targets in us-east-1; probes run every second with 1 s timeouts unless a line says otherwise. */
    private static Path writePlan(String group, String targets) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String line : targets.stripTrailing().split("\n")) {
            String fast = line.contains("kind: tcp")
                    ? ", connectTimeout: 1s"
                    : line.contains("kind: http") ? ", connectTimeout: 1s, responseTimeout: 1s" : "";
            String interval = line.contains("interval:") ? "" : ", interval: 1s";
            lines.append(line, 0, line.lastIndexOf(" }"))
                    .append(fast)
                    .append(interval)
                    .append(" }\n");
        }
        String yaml =
                """
                version: 1
                vantagePoints: [%s, b, c]
                groups:
                  - id: %s
                    strategy: pilot-light
                    mode: observe
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - name: us-east-1
                        role: primary
                        targets:
                %s      - name: us-west-2
                        role: standby
                """
                        .formatted(VANTAGE, group, lines);
        Path file = Files.createTempFile(dir, group, ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static ApplicationContext start(Path plan, String bootstrapServers, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers",
                bootstrapServers,
                "drplane.plan",
                plan.toString(),
                "drplane.instance",
                VANTAGE,
                "drplane.aws.endpoint",
                MotoServer.shared().endpoint().toString(),
                "micronaut.server.port",
                -1));
        if (bootstrapServers.equals(SharedKafka.bootstrapServers())) {
            properties.put("drplane.kafka-properties", MONITOR_PRINCIPAL.toString());
        }
        properties.putAll(extra);
        return ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(HealthMonitorApplication.SERVICE))
                .properties(properties)
                .start();
    }
}
