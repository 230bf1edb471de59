package io.drplane.executor.ledger;

import io.drplane.events.CommandResult;
import io.drplane.events.Reason;
import java.util.Optional;

/** What to do with a delivered command: run it, reject it, or report the result it already has. */
public record Admission(
        Verdict verdict, Optional<Reason> reason, Optional<CommandResult> firstResult, long highestEpoch) {

    public enum Verdict {
        RUN,
        REJECT,
        ALREADY_DONE,
        IN_FLIGHT
    }

    static Admission run(long highestEpoch) {
        return new Admission(Verdict.RUN, Optional.empty(), Optional.empty(), highestEpoch);
    }

    static Admission reject(Reason reason, long highestEpoch) {
        return new Admission(Verdict.REJECT, Optional.of(reason), Optional.empty(), highestEpoch);
    }

    static Admission alreadyDone(CommandResult first, long highestEpoch) {
        return new Admission(Verdict.ALREADY_DONE, Optional.empty(), Optional.of(first), highestEpoch);
    }

    static Admission inFlight(long highestEpoch) {
        return new Admission(Verdict.IN_FLIGHT, Optional.empty(), Optional.empty(), highestEpoch);
    }
}
