package io.drplane.cli;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.ResilienceSettings;
import io.drplane.coordinator.runbook.CommandFactory;
import io.drplane.coordinator.runbook.Runbook;
import io.drplane.coordinator.runbook.Step;
import io.drplane.coordinator.state.FailoverRun;
import io.drplane.events.Command;
import io.drplane.events.CommandFailed;
import io.drplane.events.CommandResult;
import io.drplane.events.EventType;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverKind;
import io.drplane.executor.action.CommandRunner;
import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.plan.Region;
import io.drplane.plan.WireName;
import io.drplane.plan.load.PlanException;
import io.drplane.plan.load.PlanLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * {@code drplane failover --direct GROUP}: break glass. Runs the group's runbook straight against AWS with the
 * executor's own adapters (same retries, circuit breakers, idempotency and dry run), without Kafka and without the
 * coordinator, for when Kafka itself is down. It shows the steps, asks for the group id as confirmation, then prints
 * each step as it starts and ends. Independent steps run in parallel; a step that fails after its retries stops the
 * run, and the steps after it are not started.
 */
@CommandLine.Command(
        name = "failover",
        description = "Break glass: run a group's failover runbook straight against AWS, without Kafka.")
public final class FailoverDirectCommand implements Callable<Integer> {

    @Option(
            names = "--direct",
            required = true,
            description = "required: acknowledges that this bypasses Kafka, the coordinator and its safety rules")
    boolean direct;

    @Parameters(index = "0", paramLabel = "GROUP", description = "the failover group")
    String groupId;

    @Option(names = "--plan", required = true, description = "the plan file")
    Path planFile;

    @Option(names = "--to", description = "the region to fail over to (default: the group's first standby)")
    String to;

    @Option(
            names = "--planned",
            description = "a planned switchover (Aurora global databases switch over without data loss)")
    boolean planned;

    @Option(names = "--dry-run", description = "describe calls only: print what would change")
    boolean dryRun;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @Option(
            names = "--aws-endpoint",
            defaultValue = "${env:DRPLANE_AWS_ENDPOINT}",
            description = "an AWS emulator's URL (default: the real endpoints)")
    String awsEndpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan;
        try {
            plan = PlanLoader.load(planFile);
        } catch (PlanException e) {
            err.println(e.getMessage());
            return 2;
        }
        Optional<Group> found = plan.group(groupId);
        if (found.isEmpty()) {
            err.printf(
                    "No group '%s' in %s; groups: %s%n",
                    groupId, planFile, plan.groups().stream().map(Group::id).toList());
            return 2;
        }
        Group group = found.get();
        String target = to != null
                ? to
                : group.regions().stream()
                        .filter(r -> !r.name().equals(group.primary().name()))
                        .map(Region::name)
                        .findFirst()
                        .orElse(null);
        if (target == null
                || group.region(target).isEmpty()
                || target.equals(group.primary().name())) {
            err.printf(
                    "Cannot fail %s over to %s: expected one of its standby regions %s%n",
                    groupId,
                    target,
                    group.regions().stream()
                            .map(Region::name)
                            .filter(r -> !r.equals(group.primary().name()))
                            .toList());
            return 2;
        }
        Runbook runbook = Runbook.forGroup(group, target);
        Instant now = Instant.now();
        String failoverId =
                "breakglass-" + now.truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "");
        FailoverRun run = new FailoverRun(
                failoverId,
                dryRun ? FailoverKind.DRILL : planned ? FailoverKind.PLANNED_SWITCHOVER : FailoverKind.UNPLANNED,
                group.primary().name(),
                target,
                0,
                now,
                now,
                null,
                Map.of());

        out.printf(
                "Break-glass %s of %s from %s to %s (%s runbook), straight against AWS, without Kafka or the coordinator's safety rules%s:%n",
                planned ? "switchover" : "failover",
                groupId,
                group.primary().name(),
                target,
                wire(group.strategy()),
                dryRun ? " (DRY RUN)" : "");
        int n = 1;
        for (Step step : runbook.steps()) {
            out.printf(
                    "  %d. %-18s %-26s after: %s%n",
                    n++,
                    step.name(),
                    WireName.of(step.action()),
                    step.after().isEmpty() ? "-" : String.join(", ", step.after()));
        }
        out.println(
                "Stop the failover coordinator (or set the group to observe) first, so it does not act on the same resources.");
        if (!yes && !confirmed(out)) {
            err.println("Not confirmed; nothing was done.");
            return 1;
        }
        out.flush();

        ResilienceSettings settings = ResilienceSettings.defaults();
        try (AwsClients clients = new AwsClients(
                        target,
                        Optional.ofNullable(awsEndpoint)
                                .filter(s -> !s.isBlank())
                                .map(URI::create),
                        DefaultCredentialsProvider.builder().build(),
                        settings.callTimeout(),
                        List.of());
                AwsCalls calls = new AwsCalls(target, settings)) {
            CommandRunner runner =
                    new CommandRunner(clients, calls, plan, dryRun, Duration.ofSeconds(5), Clock.systemUTC());
            return execute(runbook, group, run, runner, out) ? 0 : 1;
        }
    }

    /** Runs the DAG: every step whose predecessors succeeded starts at once; the first failure stops new starts. */
    private boolean execute(Runbook runbook, Group group, FailoverRun run, CommandRunner runner, PrintWriter out) {
        CommandFactory factory = new CommandFactory();
        Map<String, CompletableFuture<Boolean>> steps = new LinkedHashMap<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        Instant started = Instant.now();
        try {
            for (Step step : runbook.steps()) {
                CompletableFuture<?>[] before =
                        step.after().stream().map(steps::get).toArray(CompletableFuture[]::new);
                steps.put(
                        step.name(),
                        CompletableFuture.allOf(before)
                                .thenApplyAsync(
                                        ignored -> {
                                            boolean predecessorsOk = step.after().stream()
                                                    .allMatch(name ->
                                                            steps.get(name).join());
                                            return predecessorsOk && runStep(step, group, run, factory, runner, out);
                                        },
                                        pool));
            }
            boolean ok = steps.values().stream().map(CompletableFuture::join).reduce(true, Boolean::logicalAnd);
            double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
            if (ok) {
                say(
                        out,
                        String.format(
                                "%s of %s to %s %s in %.1f s.",
                                run.kind() == FailoverKind.PLANNED_SWITCHOVER ? "Switchover" : "Failover",
                                group.id(),
                                run.to(),
                                run.dryRun() ? "dry-run complete" : "done",
                                seconds));
            } else {
                List<String> skipped = new ArrayList<>();
                Set<String> failedOrSkipped = new LinkedHashSet<>();
                steps.forEach((name, result) -> {
                    if (!result.join()) {
                        failedOrSkipped.add(name);
                    }
                });
                skipped.addAll(failedOrSkipped);
                say(
                        out,
                        "FAILED after " + String.format("%.1f s", seconds) + "; not completed: "
                                + String.join(", ", skipped)
                                + ". Fix the cause and run the same command again: finished steps are recognised and not repeated.");
            }
            return ok;
        } finally {
            pool.shutdownNow();
        }
    }

    private boolean runStep(
            Step step, Group group, FailoverRun run, CommandFactory factory, CommandRunner runner, PrintWriter out) {
        for (int attempt = 1; attempt <= step.retries() + 1; attempt++) {
            Command command = factory.command(
                    group, step, run, run.id() + "-" + step.name() + "-" + attempt, Instant.now(), Evidence.none());
            say(
                    out,
                    step.name() + ": started ("
                            + EventType.of(command.getClass()).typeName() + (attempt > 1 ? ", attempt " + attempt : "")
                            + ")");
            CommandResult result = runner.run(command);
            say(
                    out,
                    step.name() + ": " + result.reason().code() + " "
                            + result.reason().message());
            if (!(result instanceof CommandFailed failed)) {
                return true;
            }
            if (!failed.retryable()) {
                return false;
            }
        }
        return false;
    }

    private boolean confirmed(PrintWriter out) {
        out.printf("Type the group id (%s) to run these steps against AWS: ", groupId);
        out.flush();
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line != null && line.trim().equals(groupId);
        } catch (IOException e) {
            return false;
        }
    }

    private static synchronized void say(PrintWriter out, String line) {
        out.println("[" + LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS) + "] " + line);
        out.flush();
    }

    private static String wire(Enum<?> value) {
        return WireName.of(value);
    }
}
