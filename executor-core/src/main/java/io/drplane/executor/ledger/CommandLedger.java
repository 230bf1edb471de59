package io.drplane.executor.ledger;

import io.drplane.events.Command;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandResult;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one region's executor has done: the first result of every command it carried out, and the highest epoch
 * seen per group. It lives in memory and is rebuilt from {@code dr.command-results.v1} at start (and kept current
 * from it), so a restart never runs a finished command again. Not thread-safe: the executor loop owns it.
 */
public final class CommandLedger {

    private final String region;
    private final Map<String, CommandResult> results = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, Long> highestEpoch = new HashMap<>();

    public CommandLedger(String region) {
        this.region = region;
    }

    /**
     * Decides about a delivered command, in this order: for another region, rejected; already done (or running),
     * its first result; an epoch lower than the group's highest, rejected as stale; past its deadline (issued plus
     * timeout), rejected as expired, since the coordinator has already counted it as timed out and running it late
     * could change AWS behind its back. An admitted command raises the group's epoch and is in flight until
     * {@link #record}.
     */
    public Admission admit(Command command, Instant now) {
        long highest = highestEpoch.getOrDefault(command.group(), 0L);
        if (!region.equals(command.region())) {
            return Admission.reject(
                    Reason.of(
                            ReasonCode.WRONG_REGION,
                            "Command " + command.commandId() + " is for " + command.region()
                                    + ", and this executor acts in " + region + " only."),
                    highest);
        }
        CommandResult first = results.get(command.commandId());
        if (first != null && !(first instanceof CommandRejected)) {
            return Admission.alreadyDone(first, highest);
        }
        if (inFlight.contains(command.commandId())) {
            return Admission.inFlight(highest);
        }
        if (command.epoch() < highest) {
            return Admission.reject(
                    Reason.of(
                            ReasonCode.EPOCH_STALE,
                            "Command " + command.commandId() + " carries epoch " + command.epoch()
                                    + ", lower than epoch " + highest + " already seen for group " + command.group()
                                    + ": its coordinator was fenced off."),
                    highest);
        }
        Instant deadline = command.issuedAt().plusMillis(command.timeoutMillis());
        if (now.isAfter(deadline)) {
            return Admission.reject(
                    Reason.of(
                            ReasonCode.STEP_TIMED_OUT,
                            "Command " + command.commandId() + " expired at " + deadline
                                    + " (issued " + command.issuedAt() + " with a " + command.timeoutMillis()
                                    + " ms timeout) before it reached this executor;"
                                    + " it was not run."),
                    highest);
        }
        highestEpoch.put(command.group(), command.epoch());
        inFlight.add(command.commandId());
        return Admission.run(command.epoch());
    }

    /** Remembers a result, ours or read back from the results topic. The first result wins, but a rejection never hides a real one. */
    public void record(CommandResult result) {
        if (result.epoch() > highestEpoch.getOrDefault(result.group(), 0L) && !(result instanceof CommandRejected)) {
            highestEpoch.put(result.group(), result.epoch());
        }
        if (!region.equals(result.region())) {
            return;
        }
        inFlight.remove(result.commandId());
        CommandResult known = results.get(result.commandId());
        if (known == null || (known instanceof CommandRejected && !(result instanceof CommandRejected))) {
            results.put(result.commandId(), result);
        }
    }

    public Optional<CommandResult> result(String commandId) {
        return Optional.ofNullable(results.get(commandId));
    }

    public long highestEpoch(String group) {
        return highestEpoch.getOrDefault(group, 0L);
    }

    public int size() {
        return results.size();
    }
}
