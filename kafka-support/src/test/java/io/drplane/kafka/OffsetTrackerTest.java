package io.drplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void shouldCommitOnlyPastTheLowestUnfinishedCommand() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.started(10);
        tracker.started(11);
        tracker.started(12);

        tracker.finished(11);
        tracker.finished(12);
        assertThat(tracker.committable()).as("10 still runs").hasValue(10);
        assertThat(tracker.committable()).as("nothing new").isEmpty();

        tracker.finished(10);
        assertThat(tracker.committable()).hasValue(13);
        assertThat(tracker.inFlight()).isZero();
    }
}
