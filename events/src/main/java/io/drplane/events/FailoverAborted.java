package io.drplane.events;

import java.time.Instant;

/** A failover was aborted by an operator. */
public record FailoverAborted(String group, String failoverId, long epoch, String principal, Instant at, Reason reason)
        implements GroupEvent {}
