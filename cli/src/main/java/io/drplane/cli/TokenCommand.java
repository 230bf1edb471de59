package io.drplane.cli;

import io.drplane.coordinator.view.ApiTokenHashes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Makes an API token: the token for its holder (shown once) and the line the coordinator's tokens file keeps. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Make an API token. Give the token to its holder (it is shown only now) and add the line to the"
                + " file DRPLANE_API_TOKENS_FILE names; the coordinator reads the file again when it changes.")
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--principal", required = true, description = "who holds it, for example alice@example.com")
    String principal;

    @Option(
            names = "--right",
            defaultValue = "read",
            description =
                    "read (the GETs: status) or operate (approve, abort, switchover, drill) (default: ${DEFAULT-VALUE})")
    String right;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ApiTokenHashes.Issued issued;
        try {
            issued = ApiTokenHashes.issue(principal, right);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("drplane token: " + e.getMessage());
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("token (give it to " + principal + "; it is not kept anywhere): " + issued.token());
        out.println("line for DRPLANE_API_TOKENS_FILE:");
        out.println(issued.line());
        out.flush();
        return 0;
    }
}
