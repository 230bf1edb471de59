package io.drplane.coordinator.decider;

import io.drplane.coordinator.state.GroupState;
import io.drplane.events.EventData;
import java.util.List;

/**
 * The decider's answer to one input: the group's next state and the events to publish, in order.
 *
 * @param clockOnly true when only the state's clock moved (a quiet tick): nothing to publish, nothing to snapshot
 */
public record Decision(GroupState state, List<EventData> emitted, boolean clockOnly) {
    public Decision {
        emitted = List.copyOf(emitted);
    }

    public Decision(GroupState state, List<EventData> emitted) {
        this(state, emitted, false);
    }
}
