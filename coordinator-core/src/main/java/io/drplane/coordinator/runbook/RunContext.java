package io.drplane.coordinator.runbook;

import io.drplane.coordinator.state.LagView;
import io.drplane.events.EventData;
import io.drplane.events.Evidence;
import io.drplane.events.RegionHealth;
import io.drplane.plan.Group;
import java.time.Instant;

/** What the runbook runner needs of the decision it runs in: the group, the time, region health, and where events go. */
public interface RunContext {

    Group group();

    Instant now();

    RegionHealth health(String region);

    void emit(EventData data);

    Evidence evidence();

    /** The last lag observed on a replication link, or null. */
    LagView lag(String link);
}
