package io.drplane.executor.ledger;

import io.drplane.events.CommandFailed;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandResult;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;

/** The first result of a command, reported again for a re-delivery: same facts, reason DUPLICATE_COMMAND. */
public final class Duplicates {

    private Duplicates() {}

    public static CommandResult reportAgain(CommandResult first) {
        Reason reason = Reason.of(
                ReasonCode.DUPLICATE_COMMAND,
                "Command " + first.commandId() + " was delivered again; it ran once, and this is"
                        + " its first result (" + first.reason().code() + ": "
                        + first.reason().message() + ")");
        if (first instanceof CommandSucceeded s) {
            return new CommandSucceeded(
                    s.group(),
                    s.commandId(),
                    s.failoverId(),
                    s.region(),
                    s.epoch(),
                    s.commandType(),
                    s.startedAt(),
                    s.finishedAt(),
                    s.durationMillis(),
                    s.attempts(),
                    s.dryRun(),
                    reason,
                    s.outcome());
        }
        if (first instanceof CommandFailed f) {
            return new CommandFailed(
                    f.group(),
                    f.commandId(),
                    f.failoverId(),
                    f.region(),
                    f.epoch(),
                    f.commandType(),
                    f.startedAt(),
                    f.finishedAt(),
                    f.durationMillis(),
                    f.attempts(),
                    f.errorCode(),
                    f.errorMessage(),
                    f.awsRequestId(),
                    f.retryable(),
                    reason);
        }
        CommandRejected r = (CommandRejected) first;
        return new CommandRejected(
                r.group(),
                r.commandId(),
                r.failoverId(),
                r.region(),
                r.epoch(),
                r.commandType(),
                r.highestEpochSeen(),
                r.at(),
                reason);
    }
}
