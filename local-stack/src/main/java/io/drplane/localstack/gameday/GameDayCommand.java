package io.drplane.localstack.gameday;

import io.drplane.coordinator.view.ApiJson;
import io.drplane.coordinator.view.GroupView;
import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.plan.DurationText;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drplane gameday SCENARIO}: injects a failure into the running local stack's simulated application and
 * follows it to the end on Kafka: observations summarised, breaker moves, region votes, decisions with their
 * reasons, commands and their results; then the outcome against what a correct control plane does, and the
 * measured detection time, RTO and RPO against the plan's targets. Exit 0 when the outcome is the expected one.
 */
@CommandLine.Command(
        name = "gameday",
        description = "Inject a failure into the running local stack and follow it to the end.")
public final class GameDayCommand implements Callable<Integer> {

    private static final Duration QUIET_WINDOW = Duration.ofSeconds(20);
    /** The goal for detection (failure to quorum-confirmed DOWN) with a 1 s probe interval. */
    private static final Duration DETECTION_GOAL = Duration.ofSeconds(5);
    /** The breakers' wait before half-open and the successes that close them, with room to spare. */
    private static final Duration HELD_PROPOSAL_WITHDRAWN_WITHIN = Duration.ofSeconds(120);
    /** The analysis of a group whose primary has no replica: after a failover, until a person re-attaches the old primary. */
    private static final String NOT_REPLICATED = "PRIMARY_NOT_REPLICATED";

    @Parameters(
            index = "0",
            paramLabel = "SCENARIO",
            description = "instance-stopped, app-stopped, region-outage, observer-partition, "
                    + "flapping, lag-spike, approval, backup-missed, restore-test, failback")
    String scenarioName;

    @Option(names = "--group", description = "the failover group (default: the plan's only group)")
    String group;

    @Option(
            names = "--url",
            defaultValue = "${env:DRPLANE_COORDINATOR_URL:-http://127.0.0.1:8086}",
            description = "the coordinator's API")
    URI coordinator;

    @Option(
            names = "--token",
            defaultValue = "${env:DRPLANE_API_TOKEN}",
            description =
                    "API token with the operate right (default: $DRPLANE_API_TOKEN, which ./drplane sets to the local stack's)")
    String token;

    @Option(
            names = "--sim",
            defaultValue = "http://127.0.0.1:8099/sim",
            description = "the simulated application's control API")
    URI sim;

    @Option(
            names = {"-b", "--bootstrap-servers"},
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka")
    String bootstrapServers;

    @Option(
            names = "--kafka-properties",
            defaultValue = "${env:DRPLANE_KAFKA_PROPERTIES}",
            description =
                    "Kafka client properties (SASL, TLS) (default: $DRPLANE_KAFKA_PROPERTIES, or the local stack's"
                            + " admin settings in " + LOCAL_ADMIN_PROPERTIES + ")")
    Path kafkaProperties;

    /** Where `./drplane up` (data directory .drplane) writes its admin's client settings. */
    static final String LOCAL_ADMIN_PROPERTIES = ".drplane/kafka-clients/drplane-admin.properties";

    @Option(
            names = "--timeout",
            defaultValue = "120s",
            description = "give up after this long (default: ${DEFAULT-VALUE})",
            converter = DurationConverter.class)
    Duration timeout;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            description = "how long flapping lasts (default: ${DEFAULT-VALUE})",
            converter = DurationConverter.class)
    Duration flappingDuration;

    @Option(names = "--keep", description = "leave the failure in place at the end (default: heal the simulation)")
    boolean keep;

    @Option(
            names = "--no-recovery",
            description = "backup-missed: heal and stop, without waiting for the next run to bring the RPO back")
    boolean noRecovery;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario;
        try {
            scenario = Scenario.fromCli(scenarioName);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        FaultInjector control = new SimControl(sim);
        try {
            String id = group != null ? group : onlyGroup();
            control.reset();
            if (scenario.backup()) {
                return backupGameDay(scenario, id, control, out);
            }
            GroupView before = awaitHealthy(id, out);
            if (before != null && NOT_REPLICATED.equals(before.analysis())) {
                // Re-protect is held (approval mode, or a step that failed for good): a failover would be held
                // (TARGET_NOT_REPLICATING), so a scenario that expects one would only show that. A scenario that
                // expects none still shows what it is for.
                if (scenario.expect() == Scenario.Expect.FAILOVER
                        || scenario.expect() == Scenario.Expect.HELD
                        || scenario == Scenario.FAILBACK) {
                    err.printf(
                            "%s runs on %s with no replica since its last failover (%s): re-protect is held%s. Approve"
                                    + " it with: drplane approve %s (drplane status %s shows why)%n",
                            id,
                            before.primary(),
                            NOT_REPLICATED,
                            before.reprotect() == null || before.reprotect().heldFor() == null
                                    ? ""
                                    : " for " + before.reprotect().heldFor(),
                            id,
                            id);
                    return 2;
                }
                out.printf(
                        "%s runs on %s with no replica since its last failover (%s): a failover would be held.%n",
                        id, before.primary(), NOT_REPLICATED);
            }
            if (before == null) {
                err.printf(
                        "%s is not ALL_HEALTHY after 150 s (see `drplane status %s`); a game day starts from a healthy group.%n",
                        id, id);
                return 2;
            }
            if (scenario == Scenario.FAILBACK) {
                return failback(id, before, control, out);
            }
            if (scenario == Scenario.APPROVAL && !"APPROVAL".equals(before.mode())) {
                err.printf("The approval scenario needs a group in approval mode; %s is %s.%n", id, before.mode());
                return 2;
            }
            return run(scenario, id, before, control, out);
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    private int run(Scenario scenario, String id, GroupView before, FaultInjector control, PrintWriter out) {
        String primary = before.primary();
        String standby = first(before.regions().keySet().iterator(), r -> !r.equals(primary));
        String vantage = first(before.vantagePoints().keySet().iterator(), k -> k.startsWith(primary + "|"))
                .substring(primary.length() + 1);
        out.printf(
                "Game day %s on %s: %s.%n  primary %s, standby %s; expected: %s.%n",
                scenario.cliName(),
                id,
                scenario.description(),
                primary,
                standby,
                scenario.expect().text());
        out.flush();

        Timeline timeline = new Timeline(id, primary);
        AtomicBoolean flapping = new AtomicBoolean();
        try (KafkaConsumer<String, byte[]> consumer = consumerAtEnd(false)) {
            if (scenario == Scenario.LAG_SPIKE) {
                if ("postgresql".equals(control.databaseKind())) {
                    control.replay(false);
                    out.println(
                            "  the PostgreSQL replica stops replaying while orders keep coming; waiting until the coordinator sees it"
                                    + " more than 60 s behind (RDS-style ReplicaLag, one-minute resolution) ...");
                } else {
                    before.lag().keySet().forEach(link -> control.lag(link, 600));
                    out.println(
                            "  the (simulated) replica falls 600 s behind; waiting until the coordinator sees it ...");
                }
                out.flush();
                awaitLagAbove(id, 60_000);
            }
            Instant injected = Instant.now();
            switch (scenario) {
                case INSTANCE_STOPPED -> control.instance(primary, 1, "STOPPED");
                case APP_STOPPED, LAG_SPIKE, APPROVAL -> control.allInstances(primary, "FAILING");
                case REGION_OUTAGE -> control.dark(primary, true);
                case OBSERVER_PARTITION -> control.cutOff(primary, vantage, true);
                case FLAPPING -> startFlapping(control, primary, flapping);
            }
            timeline.start(injected, out);
            Instant deadline = injected.plus(timeout);
            Instant quietUntil =
                    injected.plus(scenario == Scenario.FLAPPING ? flappingDuration.plus(QUIET_WINDOW) : QUIET_WINDOW);
            boolean approved = false;
            String analysis = before.analysis();
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    decode(record).ifPresent(e -> timeline.add(e, out));
                }
                // The analysis is the coordinator's name for the situation; it is state, not an event, so it is read.
                GroupView view = group(id);
                String now = view.analysis() == null ? analysis : view.analysis();
                if (!now.equals(analysis)) {
                    timeline.analysis(
                            analysis, now, view.analysisDescription() == null ? "" : view.analysisDescription(), out);
                    analysis = now;
                }
                timeline.tick(out);
                if (scenario == Scenario.FLAPPING && Instant.now().isAfter(injected.plus(flappingDuration))) {
                    flapping.set(false);
                }
                if (scenario == Scenario.APPROVAL
                        && !approved
                        && timeline.held().isPresent()) {
                    approve(id, out);
                    approved = true;
                }
                if (timeline.finished(scenario.expect())
                        || (scenario.expect() != Scenario.Expect.FAILOVER
                                && scenario.expect() != Scenario.Expect.HELD
                                && Instant.now().isAfter(quietUntil))) {
                    break;
                }
            }
        } finally {
            flapping.set(false);
            if (!keep) {
                heal(id, control, out);
            }
        }
        return timeline.report(scenario, out, DETECTION_GOAL, keep) ? 0 : 1;
    }

    /**
     * Ends the failure in reverse order. While a failover is held (for the replica's lag, say), restoring replication
     * first would release it, as it should while the primary is still down, and fail over a primary that is already
     * coming back. So the regions heal first, the database only once the coordinator has withdrawn its proposal.
     */
    private void heal(String id, FaultInjector control, PrintWriter out) {
        if (group(id).pending() != null) {
            control.healRegions();
            out.printf(
                    "  the regions are healed; waiting until the coordinator withdraws its held proposal before replication is restored ...%n");
            out.flush();
            Instant deadline = Instant.now().plus(HELD_PROPOSAL_WITHDRAWN_WITHIN);
            while (group(id).pending() != null) {
                if (Instant.now().isAfter(deadline)) {
                    out.printf(
                            "  the proposal is still held after %d s; replication is restored anyway, and the held failover may go ahead.%n",
                            HELD_PROPOSAL_WITHDRAWN_WITHIN.toSeconds());
                    break;
                }
                pause(Duration.ofMillis(500));
            }
        }
        control.reset();
    }

    private int failback(String id, GroupView before, FaultInjector control, PrintWriter out) {
        try (KafkaConsumer<String, byte[]> consumer = consumerAtEnd(false)) {
            Deque<Event<?>> pending = new ArrayDeque<>();
            Supplier<Optional<Event<?>>> next = () -> {
                if (pending.isEmpty()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        decode(record).ifPresent(pending::add);
                    }
                }
                return Optional.ofNullable(pending.poll());
            };
            return new FailbackGameDay(
                            id, control, next, () -> group(id), () -> post("/groups/" + id + "/failback"), timeout)
                    .run(before, out);
        } finally {
            if (!keep) {
                control.reset();
            }
        }
    }

    /** POSTs to the coordinator's API as an operator; the HTTP status. */
    private int post(String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(coordinator.resolve(path))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"game day\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (IOException e) {
            throw new IllegalStateException("could not reach the coordinator at " + coordinator + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private int backupGameDay(Scenario scenario, String id, FaultInjector control, PrintWriter out) {
        try (KafkaConsumer<String, byte[]> consumer = consumerAtEnd(true)) {
            Deque<Event<?>> pending = new ArrayDeque<>();
            Supplier<Optional<Event<?>>> next = () -> {
                if (pending.isEmpty()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        decode(record).ifPresent(pending::add);
                    }
                }
                return Optional.ofNullable(pending.poll());
            };
            return new BackupGameDay(id, control, next, timeout, keep, !noRecovery).run(scenario, out);
        } finally {
            if (!keep) {
                control.reset();
            }
        }
    }

    private void startFlapping(FaultInjector control, String primary, AtomicBoolean flapping) {
        flapping.set(true);
        Thread flipper = new Thread(
                () -> {
                    boolean failing = false;
                    while (flapping.get()) {
                        failing = !failing;
                        control.allInstances(primary, failing ? "FAILING" : "OK");
                        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                    }
                },
                "gameday-flapping");
        flipper.setDaemon(true);
        flipper.start();
    }

    private static Optional<Event<?>> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(EventCodec.instance().decode(record.value()));
        } catch (EventDecodingException e) {
            return Optional.empty();
        }
    }

    private KafkaClientConfig kafka() {
        Path file = kafkaProperties;
        if (file == null && Files.isRegularFile(Path.of(LOCAL_ADMIN_PROPERTIES))) {
            file = Path.of(LOCAL_ADMIN_PROPERTIES);
        }
        return file == null
                ? KafkaClientConfig.plaintext(bootstrapServers)
                : KafkaClientConfig.fromFile(bootstrapServers, file);
    }

    /** The consumer a game day follows, at the end of every topic it reads ({@code backups}: the backup topic too). */
    private KafkaConsumer<String, byte[]> consumerAtEnd(boolean backups) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka().consumer(null, "drplane-gameday"));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : consumer.listTopics(Duration.ofSeconds(30)).keySet()) {
            boolean wanted = topic.equals(TopicFamily.DECISIONS.topic())
                    || topic.equals(TopicFamily.TOPOLOGY.topic())
                    || topic.equals(TopicFamily.COMMAND_RESULTS.topic())
                    || topic.equals(TopicFamily.HEALTH.topic())
                    || topic.equals(TopicFamily.NOTIFICATIONS.topic())
                    || (backups && topic.equals(TopicFamily.BACKUP.topic()))
                    || (topic.startsWith("dr.commands.") && topic.endsWith(".v1"));
            if (wanted) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the positions now, before the failure is injected
        return consumer;
    }

    private GroupView awaitHealthy(String id, PrintWriter out) {
        // A lag spike lingers up to two minutes: RDS's ReplicaLag has one-minute resolution, read as the minute's
        // maximum.
        Instant deadline = Instant.now().plusSeconds(150);
        boolean said = false;
        while (Instant.now().isBefore(deadline)) {
            GroupView state = group(id);
            String analysis = state.analysis();
            // Not replicated does not pass by itself: re-protect is held (for approval, or on a failed step).
            if (("ALL_HEALTHY".equals(analysis) || NOT_REPLICATED.equals(analysis)) && state.failover() == null) {
                return state;
            }
            if (!said) {
                out.printf(
                        "waiting for %s to be ALL_HEALTHY (now %s) ...%n", id, analysis == null ? "unknown" : analysis);
                out.flush();
                said = true;
            }
            pause(Duration.ofSeconds(1));
        }
        return null;
    }

    private void awaitLagAbove(String id, long millis) {
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            for (GroupView.LinkLag lag : group(id).lag().values()) {
                if ("MEASURED".equals(lag.status()) && lag.lagMillis() != null && lag.lagMillis() > millis) {
                    return;
                }
            }
            pause(Duration.ofSeconds(1));
        }
        throw new IllegalStateException("the coordinator did not see the lag within 180 s");
    }

    private void approve(String id, PrintWriter out) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(coordinator.resolve("/groups/" + id + "/approve"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"game day approval\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            out.printf(
                    "  (the game day approves, as a person would with `drplane approve %s`: HTTP %d)%n",
                    id, response.statusCode());
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("could not approve: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String onlyGroup() {
        List<GroupView> groups = ApiJson.groups(get("/groups"));
        if (groups.size() != 1) {
            throw new IllegalStateException("the plan has " + groups.size() + " groups: name one with --group");
        }
        return groups.get(0).group();
    }

    private GroupView group(String id) {
        return ApiJson.group(get("/groups/" + id));
    }

    private String get(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(coordinator.resolve(path))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the coordinator does not answer at " + coordinator + " (is `./drplane up` running?): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String first(Iterator<String> names, Predicate<String> which) {
        while (names.hasNext()) {
            String name = names.next();
            if (which.test(name)) {
                return name;
            }
        }
        throw new IllegalStateException("the coordinator's view has no such region or vantage point");
    }

    private static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }

    /** "90s", "2m", "500ms". */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationText.parse(value)
                    .orElseThrow(() -> new CommandLine.TypeConversionException(
                            "expected a duration such as 90s, 2m or 500ms, not " + value));
        }
    }
}
