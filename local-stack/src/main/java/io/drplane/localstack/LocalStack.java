package io.drplane.localstack;

import io.drplane.coordinator.state.StateCodec;
import io.drplane.devdb.PostgresPair;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.KafkaConnectionSettings;
import io.drplane.kafka.ReadToEnd;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.localstack.notify.LocalReceivers;
import io.drplane.localstack.sim.AwsSeed;
import io.drplane.localstack.sim.LocalPlan;
import io.drplane.localstack.sim.SimulatedApp;
import io.drplane.plan.DurationText;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.plan.load.ScheduleExpressions;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AclBinding;

/**
 * drplane on one machine: a real Kafka broker, the moto AWS emulator (or dry-run executors when it is missing),
 * and every service of the plan as its own JVM, as in production. {@link #close()} stops all of it, services
 * first and the broker last, and leaves no process behind.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(120);
    private static final String SERVICE_READY_LINE = "Startup completed";
    private static final String MOTO_READY_LINE = "Running on";

    /** What runs where, for the table printed at start and for tests. */
    public record Running(String name, long pid, String url, Path log, String health) {}

    private final LocalStackConfig config;
    private final PrintWriter out;
    private final String javaBin =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<ChildProcess> children = new ArrayList<>();
    private final Map<ChildProcess, String> urls = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean motoRunning;
    private SimulatedApp simulation;
    private LocalReceivers receivers;
    /** The notifier's credentials on this stack: random, so a test can look for them where they must not be. */
    private final String slackSecret = ServiceSpec.randomToken();

    private final String pagerDutyKey = ServiceSpec.randomToken();
    private final String apiToken = ServiceSpec.randomToken();
    private final LocalKafkaUsers kafkaUsers = new LocalKafkaUsers();
    /** The key the coordinator signs commands with and the executors verify them with, new at each start. */
    private final String commandKeys = "local:" + ServiceSpec.randomKey();
    /** The key the coordinator's API signs operator events with, new at each start. */
    private final String operatorKeys = "local:" + ServiceSpec.randomKey();

    public LocalStack(LocalStackConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /** Starts everything and returns what runs where; on any failure, stops what was started and rethrows. */
    public List<Running> start() {
        try {
            Plan plan = PlanLoader.load(config.plan());
            Files.createDirectories(config.logDir());
            startKafka(plan);
            startMoto();
            startReceivers();
            startSimulation(plan);
            startServices(PlanLoader.load(config.localPlan()));
            return running();
        } catch (RuntimeException | IOException e) {
            close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    public boolean motoRunning() {
        return motoRunning;
    }

    public List<Long> pids() {
        return children.stream().map(ChildProcess::pid).toList();
    }

    private void startKafka(Plan plan) {
        say("starting Kafka (KRaft, SASL and ACLs) on " + config.bootstrapServers() + ", data in "
                + config.dataDir().resolve("kafka"));
        List<ServiceSpec> specs = ServiceSpec.forPlan(plan, false, "", "", "", "");
        specs.forEach(spec -> kafkaUsers.user(spec.principal()));
        ChildProcess kafka = LocalKafka.start(config, javaBin, kafkaUsers);
        children.add(kafka);
        urls.put(kafka, "kafka://" + config.bootstrapServers());
        kafka.awaitReady(LocalKafka.startTimeout());
        try (Admin admin = Admin.create(kafka().admin(60_000))) {
            TopicProvisioner.Result result =
                    new TopicProvisioner(admin).apply(TopicSpec.all(plan.regions()), (short) 1);
            say("topics: " + result.created().size() + " created, "
                    + result.unchanged().size() + " already there");
            // Each service connects as its own principal with the ACLs drplane ships for it, and no others.
            List<AclBinding> acls = new ArrayList<>();
            Map<String, ServiceSpec> byPrincipal = new LinkedHashMap<>();
            specs.forEach(spec -> byPrincipal.putIfAbsent(spec.principal(), spec));
            byPrincipal.forEach((principal, spec) -> acls.addAll(ServiceAcls.of(
                    ServiceAcls.Service.of(spec.aclService()),
                    "User:" + principal,
                    spec.service().equals("region-executor") ? spec.instance() : null,
                    List.copyOf(plan.regions()))));
            admin.createAcls(acls).all().get();
            Path clients = kafkaClientsDir();
            byPrincipal
                    .keySet()
                    .forEach(principal -> kafkaUsers.writeProperties(clients, principal, config.bootstrapServers()));
            kafkaUsers.writeProperties(clients, LocalKafkaUsers.ADMIN, config.bootstrapServers());
            kafkaUsers.writeKcatConfig(clients, config.bootstrapServers());
            say("Kafka principals: " + byPrincipal.size() + " services with " + acls.size() + " ACLs; the admin's"
                    + " client settings in " + adminProperties() + ", kcat's in " + kcatConfig());
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not apply topics: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying topics", e);
        }
    }

    private void startMoto() {
        if (!config.useMoto()) {
            say("AWS emulator: off (--no-moto); region executors run in dry-run mode and change nothing");
            return;
        }
        if (!motoInstalled()) {
            say(
                    "AWS emulator: moto not found for python3 (pip install 'moto[server]'); region executors run in dry-run mode "
                            + "and change nothing");
            return;
        }
        ChildProcess moto = ChildProcess.start(
                "moto",
                List.of(
                        "python3",
                        config.home().resolve("tools").resolve("moto-server.py").toString(),
                        "-H",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(config.motoPort())),
                Map.of(),
                config.dataDir(),
                config.logDir().resolve("moto.log"),
                MOTO_READY_LINE);
        children.add(moto);
        urls.put(moto, motoEndpoint());
        moto.awaitReady(Duration.ofSeconds(60));
        motoRunning = true;
        say("AWS emulator: moto at " + motoEndpoint() + " (every region)");
    }

    /**
     * The application drplane protects, on this machine: seeds the emulator with the plan's AWS resources, starts the
     * simulated regions' web tiers and the lag feed, and writes the local copy of the plan the services read.
     */
    private void startSimulation(Plan plan) {
        URI aws = URI.create(motoEndpoint());
        Map<String, String> ids = Map.of();
        Map<String, String> primaries = Map.of();
        if (motoRunning) {
            AwsSeed seed = new AwsSeed(aws);
            try {
                primaries = lastKnownPrimaries();
                ids = seed.seed(plan, primaries).substitutions();
                say("AWS emulator seeded from the plan:");
                seed.created().forEach(line -> say("  " + line));
            } finally {
                seed.close();
            }
        }
        simulation = new SimulatedApp(plan, aws, config.simPort(), PostgresPair.installed(), primaries);
        LocalPlan local = new LocalPlan()
                .validateRestores(simulation.restoredDatabaseAddress().isPresent());
        local.write(config.plan(), config.localPlan(), simulation::region, ids, receivers.httpBase());
        say("simulated application: " + plan.regions().size() + " regions x " + SimulatedApp.INSTANCES_PER_REGION
                + " web instances behind a front each; control API " + simulation.controlUrl()
                + (motoRunning
                        ? "; replication lag fed to the emulator's CloudWatch"
                        : "; no emulator, so no replication lag"));
        say("database: " + simulation.database());
        simulation
                .lag()
                .unfed()
                .forEach(link ->
                        say("  replication link " + link + " is not simulated (only CloudWatch-measured links are)"));
        say("services read " + config.localPlan() + ", the plan with these local changes:");
        local.changes().forEach(change -> say("  " + change));
    }

    /**
     * The backup scheduler runs the plan's own rules on a compressed clock, {@value #BACKUP_TIME_SCALE} times faster (a
     * day in a minute: start windows, RPO and retention shrink alike), anchored so that the first run is due
     * {@value #FIRST_BACKUP_AFTER_SECONDS} s from now, once the services are up. It reaches AWS through the
     * simulation's fault proxy, which a game day can make throttle it.
     */
    private Map<String, String> backupEnv(Plan plan) {
        Instant target = Instant.now().plusSeconds(FIRST_BACKUP_AFTER_SECONDS);
        Optional<Instant> first = plan.groups().stream()
                .filter(g -> g.backup() != null)
                .flatMap(g -> g.backup().rules().stream())
                .map(r -> ScheduleExpressions.nextAfter(r.schedule(), target, target, r.scheduleTimezone()))
                .flatMap(Optional::stream)
                .min(Instant::compareTo);
        Map<String, String> env = new HashMap<>();
        env.put("DRPLANE_AWS_ENDPOINT", simulation.backupAwsEndpoint().toString());
        env.put("DRPLANE_BACKUP_TICK_INTERVAL", "250ms");
        env.put("DRPLANE_BACKUP_SWEEP_INTERVAL", "30s");
        env.put("DRPLANE_BACKUP_MAX_ATTEMPTS", "3");
        env.put("DRPLANE_BACKUP_INITIAL_BACKOFF", "200ms");
        // restore tests validate with SQL against a real copy of the simulated primary (moto's restores hold no data)
        simulation.restoredDatabaseAddress().ifPresent(address -> {
            env.put("DRPLANE_BACKUP_VALIDATION_ENDPOINT", address);
            env.put(LocalPlan.DRILL_USER_ENV, PostgresPair.USER);
            env.put(LocalPlan.DRILL_PASSWORD_ENV, PostgresPair.PASSWORD);
        });
        if (first.isPresent()) {
            // the real instant at which both clocks agree, chosen so that the plan's clock reads the first run's time
            // at `target`: anchor + (target - anchor) * scale = first
            Instant anchor = target.minus(Duration.between(target, first.get()).dividedBy(BACKUP_TIME_SCALE - 1));
            env.put("DRPLANE_BACKUP_TIME_SCALE", Long.toString(BACKUP_TIME_SCALE));
            env.put("DRPLANE_BACKUP_TIME_ANCHOR", anchor.toString());
            say("backups: the plan's rules on a compressed clock, " + BACKUP_TIME_SCALE
                    + " times faster (a day in a minute); the first run is due at "
                    + target.atZone(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.SECONDS)
                    + " UTC, then every " + DurationText.of(Duration.ofDays(1).dividedBy(BACKUP_TIME_SCALE))
                    + " per daily rule");
        }
        return env;
    }

    static final long BACKUP_TIME_SCALE = 1440;
    static final long FIRST_BACKUP_AFTER_SECONDS = 45;

    /** The local Slack, PagerDuty, webhook and SMTP receivers the notifier's routes point at. */
    private void startReceivers() {
        receivers = new LocalReceivers(notificationsLog(config.dataDir()));
        say("notifications: Slack, PagerDuty and webhooks land at " + receivers.httpBase() + ", e-mail at SMTP port "
                + receivers.smtpPort() + "; ./drplane notifications lists them");
    }

    /** Where the local receivers write what they got: {@code ./drplane notifications} reads it. */
    public static Path notificationsLog(Path dataDir) {
        return dataDir.resolve("notifications").resolve("received.jsonl");
    }

    public LocalReceivers receivers() {
        return receivers;
    }

    /** What the notifier was given to keep secret: the Slack webhook's secret path part and the PagerDuty key. */
    public Map<String, String> notifierSecrets() {
        return Map.of("Slack webhook secret", slackSecret, "PagerDuty routing key", pagerDutyKey);
    }

    /** The notifier's settings on the local stack: its routes' credentials and servers are the local receivers. */
    private Map<String, String> notifierEnv(String coordinatorUrl) {
        Map<String, String> env = new HashMap<>();
        // the example plan's references (env:SLACK_WEBHOOK_URL, ${PAGERDUTY_ROUTING_KEY}) resolve to the receivers
        env.put("SLACK_WEBHOOK_URL", receivers.httpBase() + "/slack/services/LOCAL/STACK/webhook");
        env.put(
                "PAGERDUTY_ROUTING_KEY",
                "local-routing-key-" + ServiceSpec.randomKey().substring(0, 8));
        env.put("DRPLANE_NOTIFIER_PAGERDUTY_URL", receivers.httpBase() + "/pagerduty/v2/enqueue");
        env.put("DRPLANE_NOTIFIER_SMTP_HOST", "127.0.0.1");
        env.put("DRPLANE_NOTIFIER_SMTP_PORT", Integer.toString(receivers.smtpPort()));
        env.put("DRPLANE_NOTIFIER_SMTP_FROM", "drplane@localhost");
        if (coordinatorUrl != null) {
            env.put("DRPLANE_NOTIFIER_API_URL", coordinatorUrl);
        }
        return env;
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** Each group's primary as the coordinator's latest snapshot has it: the event log outlives the emulator. */
    private Map<String, String> lastKnownPrimaries() {
        Map<String, String> primaries = new HashMap<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(kafka().consumer(null, "drplane-up"))) {
            var partitions = ReadToEnd.partitionsOf(consumer, TopicFamily.COORDINATOR_SNAPSHOTS.topic());
            ReadToEnd.read(consumer, partitions, record -> {
                if (record.value() != null) {
                    primaries.put(
                            record.key(), StateCodec.decode(record.value()).primary());
                }
            });
        } catch (RuntimeException e) {
            say("could not read the coordinator's snapshots (" + e.getMessage()
                    + "); seeding with the plan's primaries");
        }
        return primaries;
    }

    /** The broker's admin: how the stack, its tests and its game days reach the broker. */
    public KafkaClientConfig kafka() {
        return kafkaUsers.admin(config.bootstrapServers());
    }

    /** The admin's Kafka client properties file ({@code DRPLANE_KAFKA_PROPERTIES} for the operator's tools). */
    public Path adminProperties() {
        return kafkaClientsDir().resolve(LocalKafkaUsers.ADMIN + ".properties");
    }

    /** A kcat configuration file: {@code kcat -F FILE -t dr.decisions.v1 -C}. */
    public Path kcatConfig() {
        return kafkaClientsDir().resolve("kcat.conf");
    }

    /** Every Kafka password of this run, for a test that looks for them where they must not be. */
    public Map<String, String> kafkaPasswords() {
        return kafkaUsers.passwords();
    }

    private Path kafkaClientsDir() {
        return config.dataDir().resolve("kafka-clients");
    }

    /** The API token (right: operate) of this run of the stack; `./drplane` reads it from the data directory. */
    public String apiToken() {
        return apiToken;
    }

    /** {@code DRPLANE_OPERATOR_KEYS} of this run: for a test that looks for it where it must not be. */
    public String operatorKeys() {
        return operatorKeys;
    }

    /** {@code DRPLANE_COMMAND_KEYS} of this run, for a test that writes a command in the coordinator's stead. */
    public String commandKeys() {
        return commandKeys;
    }

    private void writeApiToken() {
        Path file = config.dataDir().resolve("api-token");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, apiToken, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API token to " + file, e);
        }
    }

    public SimulatedApp simulation() {
        return simulation;
    }

    private void startServices(Plan plan) {
        List<ServiceSpec> specs =
                ServiceSpec.forPlan(plan, motoRunning, motoEndpoint(), apiToken, operatorKeys, commandKeys);
        writeApiToken();
        List<ChildProcess> started = new ArrayList<>();
        int port = config.firstServicePort();
        for (ServiceSpec spec : specs) {
            Map<String, String> env = new HashMap<>(spec.env());
            if (spec.service().equals("backup-scheduler") && motoRunning) {
                env.putAll(backupEnv(plan));
            }
            if (spec.service().equals("notifier")) {
                env.putAll(notifierEnv(urls.entrySet().stream()
                        .filter(e -> e.getKey().name().equals("failover-coordinator"))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse(null)));
            }
            env.put("DRPLANE_PLAN", config.localPlan().toAbsolutePath().toString());
            env.put("DRPLANE_INSTANCE", spec.instance());
            env.put("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers());
            env.put(
                    KafkaConnectionSettings.PROPERTIES_FILE_ENV,
                    kafkaClientsDir()
                            .resolve(spec.principal() + ".properties")
                            .toAbsolutePath()
                            .toString());
            env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
            env.put("LOG_FORMAT", "json");
            List<String> command = List.of(
                    javaBin,
                    "-Xmx192m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    classpath(spec.module()),
                    spec.mainClass());
            String logName = spec.displayName().replace('/', '-') + ".log";
            ChildProcess child = ChildProcess.start(
                    spec.displayName(),
                    command,
                    env,
                    config.dataDir(),
                    config.logDir().resolve(logName),
                    SERVICE_READY_LINE);
            children.add(child);
            urls.put(child, "http://127.0.0.1:" + port);
            started.add(child);
            port++;
        }
        say("starting " + specs.size() + " service instances");
        for (ChildProcess child : started) {
            child.awaitReady(SERVICE_START_TIMEOUT);
        }
    }

    /** A module's compiled classes and its runtime dependencies, as written by the build. */
    private String classpath(String module) {
        Path moduleDir = config.home().resolve(module);
        Path classes = moduleDir.resolve("target/classes");
        Path dependencies = moduleDir.resolve("target/runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(dependencies)) {
            throw new IllegalStateException(module + " is not built (" + dependencies + " is missing): run "
                    + "`mvn -B -DskipTests install` in " + config.home()
                    + ", or use ./drplane, which builds when needed");
        }
        try {
            return classes
                    + File.pathSeparator
                    + Files.readString(dependencies, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Running> running() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Running> running = new ArrayList<>();
        for (ChildProcess child : children) {
            String url = urls.get(child);
            String health = "-";
            if (url.startsWith("http://127.0.0.1:") && !child.name().equals("moto")) {
                health = health(http, URI.create(url + "/health"));
            } else {
                health = child.isAlive() ? "running" : "exited";
            }
            running.add(new Running(child.name(), child.pid(), url, child.log(), health));
        }
        return running;
    }

    private static String health(HttpClient http, URI uri) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? "UP" : "DOWN (" + response.statusCode() + ")";
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * Kills a process of the stack by name ({@code kafka}, {@code failover-coordinator}, {@code region-executor/us-east-1}
     * ...) at once, as a crash or a lost host would: no shutdown hook runs, its data stays.
     */
    public void kill(String name) {
        child(name).kill();
    }

    /** Starts a killed process again on the same port and data, as an orchestrator would, and waits until it is ready. */
    public void restart(String name) {
        ChildProcess old = child(name);
        ChildProcess fresh = old.startAgain();
        children.set(children.indexOf(old), fresh);
        urls.put(fresh, urls.remove(old));
        fresh.awaitReady(name.equals("kafka") ? LocalKafka.startTimeout() : SERVICE_START_TIMEOUT);
    }

    private ChildProcess child(String name) {
        return children.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("no process named " + name + " in the local stack; it runs "
                                + children.stream().map(ChildProcess::name).toList()));
    }

    /** Prints what runs where. */
    public void printTable(List<Running> running) {
        out.printf("%n%-30s %8s  %-28s %-10s %s%n", "PROCESS", "PID", "ADDRESS", "HEALTH", "LOG");
        for (Running r : running) {
            out.printf(
                    "%-30s %8d  %-28s %-10s %s%n",
                    r.name(),
                    r.pid(),
                    r.url(),
                    r.health(),
                    config.home().relativize(r.log().toAbsolutePath()));
        }
        out.flush();
    }

    /** Calls back when a process exits on its own, so a person hears about it. */
    public void watch(Consumer<String> onUnexpectedExit) {
        for (ChildProcess child : children) {
            child.onExit().thenAccept(p -> {
                if (!closed.get()) {
                    onUnexpectedExit.accept(child.name() + " (pid " + child.pid() + ") exited with " + p.exitValue()
                            + "; last lines of " + child.log() + ":\n" + child.tail(10));
                }
            });
        }
    }

    /** Stops services first, then the emulator, then the broker (so services can still flush to it). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<ChildProcess> reversed = new ArrayList<>(children);
        Collections.reverse(reversed);
        List<ChildProcess> services = reversed.stream()
                .filter(c -> !c.name().equals("kafka") && !c.name().equals("moto"))
                .toList();
        services.parallelStream().forEach(c -> c.stop(Duration.ofSeconds(15)));
        if (simulation != null) {
            simulation.close();
        }
        if (receivers != null) {
            receivers.close();
        }
        reversed.stream().filter(c -> c.name().equals("moto")).forEach(c -> c.stop(Duration.ofSeconds(5)));
        reversed.stream().filter(c -> c.name().equals("kafka")).forEach(c -> c.stop(Duration.ofSeconds(30)));
        say("stopped " + children.size() + " processes");
    }

    private String motoEndpoint() {
        return "http://127.0.0.1:" + config.motoPort();
    }

    private void say(String line) {
        out.println("drplane up: " + line);
        out.flush();
    }

    static boolean motoInstalled() {
        try {
            Process check = new ProcessBuilder("python3", "-c", "import moto.server")
                    .redirectErrorStream(true)
                    .start();
            check.getInputStream().readAllBytes();
            return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
