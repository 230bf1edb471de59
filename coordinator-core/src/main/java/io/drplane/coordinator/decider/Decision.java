package io.drplane.coordinator.decider;

import io.drplane.coordinator.state.GroupState;
import io.drplane.events.EventData;
import io.drplane.events.Reason;
import jakarta.annotation.Nullable;
import java.util.List;

/**
 * The decider's answer to one input: the group's next state and the events to publish, in order.
 *
 * @param clockOnly true when only the state's clock moved (a quiet tick), or nothing at all (a refused input):
 *                  nothing to publish, nothing to snapshot
 * @param refusal   why the input was refused (its time cannot be trusted), null when it was taken in; a refused
 *                  input changes nothing, and the shell dead-letters it with this reason
 */
public record Decision(GroupState state, List<EventData> emitted, boolean clockOnly, @Nullable Reason refusal) {
    public Decision {
        emitted = List.copyOf(emitted);
    }

    public Decision(GroupState state, List<EventData> emitted, boolean clockOnly) {
        this(state, emitted, clockOnly, null);
    }

    public Decision(GroupState state, List<EventData> emitted) {
        this(state, emitted, false, null);
    }

    /** The input was refused: the state is as it was, nothing is published. */
    public static Decision refused(GroupState state, Reason reason) {
        return new Decision(state, List.of(), true, reason);
    }
}
