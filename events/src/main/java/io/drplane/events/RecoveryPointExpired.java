package io.drplane.events;

import java.time.Instant;

/** A recovery point reached the end of its lifecycle and was deleted. */
public record RecoveryPointExpired(String group, String rule, String region, String recoveryPointArn, Instant expiredAt)
        implements GroupEvent {}
