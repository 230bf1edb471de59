package io.drplane.executor.action;

import io.drplane.aws.Attempts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** What a handler needs besides the command: dry run or not, the attempts so far, and when the command's time is up. */
public record CommandContext(boolean dryRun, Attempts attempts, Instant deadline, Clock clock) {

    /** Time left for waiting, never less than a second so a late command still looks once. */
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }
}
