package io.drplane.cli;

import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.replay.Replayer;
import io.drplane.events.Event;
import io.drplane.kafka.journal.JournalReader;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drplane replay --group G}: re-runs the decider over the exact input the coordinator processed for a group
 * and shows any difference from what it recorded (there must be none). With {@code --what-if other.yml} it shows what
 * another rule set would have decided instead.
 */
@Command(
        name = "replay",
        description = "Re-run the coordinator's decisions for a group from its input journal and compare them "
                + "with the recorded ones; --what-if shows what another plan would have decided.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(
            names = {"-g", "--group"},
            required = true,
            description = "the failover group")
    String group;

    @Option(
            names = {"-p", "--plan"},
            defaultValue = "${env:DRPLANE_PLAN:-examples/two-region-shop.yml}",
            description = "the plan the coordinator ran with (default: ${DEFAULT-VALUE})")
    Path plan;

    @Option(names = "--what-if", description = "another plan: show what it would have decided on the same input")
    Path whatIf;

    @Option(names = "--from", description = "only decisions at or after this time (RFC 3339)")
    Instant from;

    @Option(names = "--to", description = "only decisions before this time (RFC 3339)")
    Instant to;

    @CommandLine.Mixin
    KafkaOptions kafkaOptions = new KafkaOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Plan recordedPlan = PlanLoader.load(plan);
        if (recordedPlan.group(group).isEmpty()) {
            spec.commandLine().getErr().println("group " + group + " is not in " + plan);
            return 2;
        }
        JournalReader reader = new JournalReader(kafkaOptions.config());
        List<Replayer.Input> journal = reader.journal(group).stream()
                .map(j -> new Replayer.Input(j.event(), j.arrivedAt()))
                .toList();
        List<Event<?>> recorded = window(reader.recorded(group, recordedPlan.regions()));
        List<Event<?>> replayed = window(Replayer.replay(new Decider(recordedPlan), group, journal));
        List<String> differences = Replayer.differences(replayed, recorded);
        out.printf(
                "replayed %d input(s) of partition %d for %s: %d decision(s) and command(s), %d recorded%n",
                journal.size(), JournalReader.partitionOf(group), group, replayed.size(), recorded.size());
        if (differences.isEmpty()) {
            out.println("identical to what the coordinator recorded");
        } else {
            out.println(differences.size() + " difference(s) from what the coordinator recorded:");
            differences.forEach(d -> out.println("  " + d));
        }
        if (whatIf != null) {
            Plan other = PlanLoader.load(whatIf);
            List<Event<?>> alternative = window(Replayer.replay(new Decider(other), group, journal));
            List<String> changes = Replayer.differences(alternative, replayed);
            out.printf(
                    "what-if %s: %d decision(s) and command(s), %d difference(s) from %s%n",
                    whatIf, alternative.size(), changes.size(), plan);
            alternative.forEach(e -> out.println("  " + Replayer.describe(e)));
        }
        out.flush();
        return differences.isEmpty() ? 0 : 1;
    }

    private List<Event<?>> window(List<Event<?>> events) {
        return events.stream()
                .filter(e -> (from == null || !e.time().isBefore(from))
                        && (to == null || e.time().isBefore(to)))
                .toList();
    }
}
