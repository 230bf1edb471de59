package io.drplane.cli;

import io.drplane.plan.DurationText;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.plan.WireName;
import io.drplane.plan.load.PlanError;
import io.drplane.plan.load.PlanException;
import io.drplane.plan.load.PlanLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code drplane validate FILE}: every error of a plan, or a summary of what it protects. */
@Command(
        name = "validate",
        description = "Check a plan file; print every error with its path, value and what is allowed.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML plan")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Plan plan = PlanLoader.load(file);
            out.printf(
                    "%s is valid: %d group(s), regions %s, %d vantage point(s)%n",
                    file,
                    plan.groups().size(),
                    String.join(", ", plan.regions()),
                    plan.vantagePoints().size());
            for (Group group : plan.groups()) {
                out.printf(
                        "  %s: %s, %s, primary %s, RTO %s, RPO %s%n",
                        group.id(),
                        wire(group.strategy()),
                        wire(group.mode()),
                        group.primary().name(),
                        DurationText.of(group.objectives().rto()),
                        DurationText.of(group.objectives().rpo()));
            }
            return 0;
        } catch (PlanException e) {
            err.printf("%s: %d error(s)%n", file, e.errors().size());
            for (PlanError error : e.errors()) {
                err.println("  " + error);
            }
            return 1;
        }
    }

    private static String wire(Enum<?> value) {
        return WireName.of(value);
    }
}
