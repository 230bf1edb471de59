package io.drplane.coordinator.safety;

import io.drplane.coordinator.state.GroupState;
import io.drplane.events.FailoverKind;
import io.drplane.plan.Group;
import java.time.Instant;

/** What the safety rules look at when a failover to {@code target} is considered. */
public record SafetyContext(Group group, GroupState state, String target, FailoverKind kind, Instant now) {}
