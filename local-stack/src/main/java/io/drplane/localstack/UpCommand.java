package io.drplane.localstack;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drplane up}: the whole control plane on this machine, until Ctrl-C. */
@Command(
        name = "up",
        description = "Run the local stack: a Kafka broker, the moto AWS emulator and every service of the plan. "
                + "Ctrl-C stops all of it.")
public final class UpCommand implements Callable<Integer> {

    @Option(
            names = {"-p", "--plan"},
            defaultValue = "examples/two-region-shop.yml",
            description = "the plan (default: ${DEFAULT-VALUE})")
    Path plan;

    @Option(
            names = "--data-dir",
            defaultValue = ".drplane",
            description = "Kafka data and logs, kept across runs (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "broker port; the controller uses the next one (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--moto-port", defaultValue = "5000", description = "AWS emulator port (default: ${DEFAULT-VALUE})")
    int motoPort;

    @Option(
            names = "--service-port",
            defaultValue = "8081",
            description = "first service HTTP port (default: ${DEFAULT-VALUE})")
    int servicePort;

    @Option(
            names = "--sim-port",
            defaultValue = "8099",
            description = "the simulated application's control API (default: ${DEFAULT-VALUE})")
    int simPort;

    @Option(
            names = "--fresh",
            description = "forget the event log and logs of earlier runs (the data directory) before starting")
    boolean fresh;

    @Option(names = "--no-moto", description = "do not start the AWS emulator; executors run dry")
    boolean noMoto;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path home = Path.of(System.getProperty("drplane.home", "."))
                .toAbsolutePath()
                .normalize();
        LocalStackConfig config = new LocalStackConfig(
                home,
                home.resolve(dataDir).normalize(),
                home.resolve(plan).normalize(),
                kafkaPort,
                motoPort,
                servicePort,
                !noMoto,
                simPort);
        if (fresh) {
            deleteRecursively(config.dataDir());
            out.println("drplane up: --fresh: removed " + config.dataDir());
        }
        LocalStack stack = new LocalStack(config, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println();
                            out.println("drplane up: stopping");
                            out.flush();
                            stack.close();
                            stopped.countDown();
                        },
                        "drplane-up-stop"));
        stack.printTable(stack.start());
        stack.watch(message -> {
            out.println("drplane up: " + message);
            out.flush();
        });
        out.printf(
                "%nKafka: %s (SASL/PLAIN, a principal per service, ACLs)   topics: kcat -F %s -L   events: kcat -F %s -t"
                        + " dr.health.v1 -C%n",
                config.bootstrapServers(), stack.kcatConfig(), stack.kcatConfig());
        out.printf(
                "Coordinator: ./drplane status, ./drplane approve|abort|switchover|drill GROUP (./drplane uses this run's API"
                        + " token, %s, written to %s; elsewhere: DRPLANE_API_TOKEN=%s)%n",
                stack.apiToken(), config.dataDir().resolve("api-token"), stack.apiToken());
        out.printf(
                "Break it: ./drplane gameday region-outage (or instance-stopped, app-stopped, observer-partition, flapping, lag-spike),"
                        + " or curl -X POST '%s/regions/REGION/dark?on=true'%n",
                stack.simulation().controlUrl());
        out.println("Ctrl-C stops everything. Live status (a line per change):");
        out.flush();
        LiveStatus live = new LiveStatus(
                stack.running().stream()
                        .filter(r -> r.name().equals("failover-coordinator"))
                        .findFirst()
                        .map(r -> URI.create(r.url()))
                        .orElseThrow(),
                stack.apiToken());
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            live.print(out);
        }
        return 0;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
