package io.drplane.localstack.gameday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.localstack.LocalStack;
import io.drplane.localstack.LocalStackCli;
import io.drplane.localstack.LocalStackConfig;
import io.drplane.localstack.Ports;
import io.drplane.localstack.notify.LocalReceivers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The game days that end in a failover, each needing a stack of its own (a failover starts the plan's 30-minute
 * cooldown): the application failing everywhere in the primary, then flapping on the new primary (held by the
 * cooldown: no thrash); and a group in approval mode that fails over once a person approves.
 */
class GameDayFailoversIT {

    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final Path EXAMPLE = HOME.resolve("examples/two-region-shop.yml");

    @TempDir
    Path dir;

    @Test
    void shouldFailOverWhenTheAppStopsAndNotThrashWhenTheNewPrimaryFlaps() throws Exception {
        try (LocalStack stack = stack(EXAMPLE)) {
            String coordinator = coordinator(stack);

            String appStopped = gameday(stack, coordinator, 0, "app-stopped");
            assertThat(appStopped)
                    .contains("region.state-changed QUORUM_DOWN")
                    .contains("failover.completed FAILOVER_VERIFIED")
                    .contains(
                            "Outcome: PASS (expected a failover that completes): 1 failover(s) started, completed to us-west-2");
            // chat hears that the failover completed; nobody is paged for a failover that went well
            List<String> heard = heard(stack, r -> r.summary().startsWith("[RESOLVED] shop: failover to us-west-2"));
            assertThat(heard)
                    .as(appStopped)
                    .anyMatch(line -> line.startsWith("slack: [RESOLVED] shop: failover to us-west-2 completed in"))
                    .noneMatch(line -> line.startsWith("pagerduty:"));
            int beforeFlapping = heard(stack, r -> true).size();

            String flapping = gameday(stack, coordinator, 0, "flapping", "--duration", "20s");
            // us-east-1 came back and was re-protected before the game day began: the flapping primary has a replica
            assertThat(flapping)
                    .contains("primary us-west-2, standby us-east-1")
                    .containsPattern(
                            "Outcome: PASS \\(expected at most one failover, no thrash\\): [01] failover\\(s\\)"
                                    + " started");
            List<String> afterFlapping = heard(stack, r -> true);
            System.out.println(
                    "flapping game day notifications: " + afterFlapping.subList(beforeFlapping, afterFlapping.size()));
            if (flapping.contains(": 0 failover(s) started")) {
                assertThat(afterFlapping.subList(beforeFlapping, afterFlapping.size()))
                        .as("no failover started, so chat is not told of one")
                        .noneMatch(line -> line.contains("failing over"));
            }
        }
    }

    @Test
    void shouldWaitForApprovalAndFailOverOnceApproved() throws Exception {
        Path approvalPlan = dir.resolve("two-region-shop-approval.yml");
        Files.writeString(
                approvalPlan,
                Files.readString(EXAMPLE, StandardCharsets.UTF_8).replace("mode: automatic", "mode: approval"));
        try (LocalStack stack = stack(approvalPlan)) {
            String output = gameday(stack, coordinator(stack), 0, "approval");

            assertThat(output)
                    .contains("failover.held APPROVAL_REQUIRED")
                    .contains("(the game day approves, as a person would with `drplane approve shop`: HTTP 200)")
                    .contains("failover.started FAILOVER_APPROVED")
                    .contains(
                            "Outcome: PASS (expected a failover that completes): 1 failover(s) started, completed to us-west-2");
            // the person on call was paged for the approval, and the page resolved when the failover completed
            List<String> pages = new ArrayList<>();
            try {
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            pages.clear();
                            stack.receivers().received().stream()
                                    .filter(r -> r.channel().equals("pagerduty"))
                                    .map(LocalReceivers.Received::summary)
                                    .forEach(pages::add);
                            return pages.stream().anyMatch(p -> p.startsWith("resolve"));
                        });
            } catch (ConditionTimeoutException e) {
                // the assertion below says what was paged instead
            }
            assertThat(pages)
                    .as("%s%nthe notifier's log ends:%n%s", output, tail(stack, "notifier"))
                    .containsExactly(
                            "trigger failover/shop (critical): shop: failover us-east-1 → us-west-2 held, a person must"
                                    + " decide",
                            "resolve failover/shop");
        }
    }

    /** What the receivers heard so far, once {@code until} arrived (or after 60 s), as "channel: summary" lines. */
    private static List<String> heard(LocalStack stack, Predicate<LocalReceivers.Received> until) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> stack.receivers().received().stream().anyMatch(until));
        } catch (ConditionTimeoutException e) {
            // the caller's assertion says what was heard instead
        }
        return stack.receivers().received().stream()
                .map(r -> r.channel() + ": " + r.summary())
                .toList();
    }

    /** The last lines of a service's log, for a failure message. */
    private static String tail(LocalStack stack, String service) throws Exception {
        Path log = stack.running().stream()
                .filter(r -> r.name().equals(service))
                .findFirst()
                .orElseThrow()
                .log();
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private LocalStack stack(Path plan) throws Exception {
        LocalStackConfig config = new LocalStackConfig(
                HOME,
                Files.createTempDirectory(dir, "stack"),
                plan,
                Ports.free(2),
                Ports.free(1),
                Ports.free(9),
                true,
                Ports.free(1));
        LocalStack stack = new LocalStack(config, new PrintWriter(new StringWriter(), true));
        stack.start();
        return stack;
    }

    private static String coordinator(LocalStack stack) {
        return stack.running().stream()
                .filter(r -> r.name().equals("failover-coordinator"))
                .findFirst()
                .orElseThrow()
                .url();
    }

    private static String gameday(LocalStack stack, String coordinator, int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of("gameday"));
        all.addAll(List.of(args));
        all.addAll(List.of(
                "--url",
                coordinator,
                "--sim",
                stack.simulation().controlUrl().toString(),
                "-b",
                stack.bootstrapServers(),
                "--timeout",
                "90s",
                "--token",
                stack.apiToken(),
                "--kafka-properties",
                stack.adminProperties().toString()));
        int code = new CommandLine(new LocalStackCli())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(out))
                .execute(all.toArray(String[]::new));
        assertThat(code).as(out.toString()).isEqualTo(expectedCode);
        return out.toString();
    }
}
