package io.drplane.localstack;

import io.drplane.localstack.gameday.GameDayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The developer sandbox's commands, behind {@code ./drplane up} and {@code ./drplane gameday}: the local stack (a Kafka
 * broker, the AWS emulator, every service, a simulated two-region application) and the game days that break it.
 * Kept apart from the operator's {@code drplane} command, which ships no broker and no simulation.
 */
@Command(
        name = "drplane",
        mixinStandardHelpOptions = true,
        version = "drplane local stack 0.1.0",
        description = "The local stack and its game days.",
        subcommands = {UpCommand.class, GameDayCommand.class, CommandLine.HelpCommand.class})
public final class LocalStackCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalStackCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
