package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** A command failed after its retries. */
public record CommandFailed(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        EventType commandType,
        Instant startedAt,
        Instant finishedAt,
        long durationMillis,
        int attempts,
        String errorCode,
        String errorMessage,
        @Nullable String awsRequestId,
        boolean retryable,
        Reason reason)
        implements CommandResult {}
