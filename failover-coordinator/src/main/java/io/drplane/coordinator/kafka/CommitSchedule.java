package io.drplane.coordinator.kafka;

import java.time.Duration;

/**
 * When the loop commits its open transaction. A command is what someone waits for: the transaction holding one is
 * committed at the end of the poll it came in, or {@code inputsAfterACommand} inputs after it if the poll is longer,
 * so a region outage's commands still share a few transactions instead of a commit each. A transaction without a
 * command stays open across polls until it has been open for {@code interval}, or has taken {@code maxInputs} inputs:
 * a commit costs the broker a marker on every partition the transaction wrote, and committing every poll (about 150 a
 * second at 10,000 events/s) kept it busy with markers no reader was waiting for.
 * <p>
 * Times are {@link System#nanoTime()} readings passed in, so the rule is tested without a clock.
 */
final class CommitSchedule {

    /** Inputs decided after one that produced a command before the transaction commits. */
    static final int INPUTS_AFTER_A_COMMAND = 128;
    /** How long a transaction without a command stays open. */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    /** Inputs per transaction at most, so an abort after a backlog does not redo a great deal. */
    static final int MAX_INPUTS_PER_TRANSACTION = 10_000;

    private final long intervalNanos;
    private final int inputsAfterACommand;
    private final int maxInputs;
    private long startedNanos;
    private int inputs;
    /** Inputs decided after the first one that produced a command; -1 before it. */
    private int sinceCommand = -1;

    CommitSchedule(Duration interval, int inputsAfterACommand, int maxInputs) {
        this.intervalNanos = interval.toNanos();
        this.inputsAfterACommand = inputsAfterACommand;
        this.maxInputs = maxInputs;
    }

    /** A transaction began. */
    void began(long nowNanos) {
        startedNanos = nowNanos;
        inputs = 0;
        sinceCommand = -1;
    }

    /** An input was decided in it; {@code commanded} when its decision sent a command. */
    void decided(boolean commanded) {
        inputs++;
        if (sinceCommand >= 0) {
            sinceCommand++;
        } else if (commanded) {
            sinceCommand = 0;
        }
    }

    /** True when the transaction is to be committed before the poll's next input. */
    boolean dueWithinPoll() {
        return sinceCommand >= inputsAfterACommand || inputs >= maxInputs;
    }

    /** True when the transaction is to be committed now that the poll's inputs are decided. */
    boolean dueAtEndOfPoll(long nowNanos) {
        return sinceCommand >= 0 || dueWithinPoll() || nowNanos - startedNanos >= intervalNanos;
    }

    /** How long the next poll may wait before the transaction is due. */
    Duration pollTimeout(long nowNanos) {
        return Duration.ofNanos(Math.max(0, startedNanos + intervalNanos - nowNanos));
    }
}
