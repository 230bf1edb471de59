package io.drplane.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code drplane} command. */
@Command(
        name = "drplane",
        mixinStandardHelpOptions = true,
        version = "drplane 0.1.0",
        description = {
            "Disaster-recovery control plane for multi-region AWS applications.",
            "The local stack and its game days: ./drplane up, ./drplane gameday (see ./drplane up --help)."
        },
        subcommands = {
            ValidateCommand.class,
            TopicsCommand.class,
            NotificationsCommand.class,
            OperatorCommands.Status.class,
            OperatorCommands.Approve.class,
            OperatorCommands.Abort.class,
            OperatorCommands.Switchover.class,
            OperatorCommands.Failback.class,
            OperatorCommands.Drill.class,
            ReplayCommand.class,
            FailoverDirectCommand.class,
            TokenCommand.class,
            CommandLine.HelpCommand.class
        })
public final class DrplaneCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new DrplaneCli()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
