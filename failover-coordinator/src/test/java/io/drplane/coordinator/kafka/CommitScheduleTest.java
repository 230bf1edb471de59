package io.drplane.coordinator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommitScheduleTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS; // nanoTime has no epoch: any start will do

    private final CommitSchedule schedule = new CommitSchedule(Duration.ofMillis(100), 3, 50);

    @BeforeEach
    void begin() {
        schedule.began(T0);
    }

    @Test
    void shouldKeepATransactionWithoutACommandOpenAcrossPollsUntilTheInterval() {
        for (int i = 0; i < 20; i++) {
            schedule.decided(false);
            assertThat(schedule.dueWithinPoll()).isFalse();
        }
        assertThat(schedule.dueAtEndOfPoll(T0 + 10 * MS))
                .as("10 ms in, no command")
                .isFalse();
        assertThat(schedule.dueAtEndOfPoll(T0 + 99 * MS)).isFalse();
        assertThat(schedule.dueAtEndOfPoll(T0 + 100 * MS))
                .as("open for the interval")
                .isTrue();
    }

    @Test
    void shouldWaitInAQuietPollOnlyUntilTheTransactionIsDue() {
        assertThat(schedule.pollTimeout(T0 + 30 * MS)).isEqualTo(Duration.ofMillis(70));
        assertThat(schedule.pollTimeout(T0 + 100 * MS)).isEqualTo(Duration.ZERO);
        assertThat(schedule.pollTimeout(T0 + 250 * MS))
                .as("overdue: do not wait at all")
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldCommitACommandAtTheEndOfItsPoll() {
        schedule.decided(false);
        schedule.decided(true);
        assertThat(schedule.dueWithinPoll())
                .as("the poll's next inputs may still join")
                .isFalse();
        assertThat(schedule.dueAtEndOfPoll(T0 + MS))
                .as("a millisecond in, with a command")
                .isTrue();
    }

    @Test
    void shouldCommitWithinALongPollAFewInputsAfterACommand() {
        schedule.decided(true);
        schedule.decided(false);
        schedule.decided(true); // a second command does not push the commit back
        assertThat(schedule.dueWithinPoll()).isFalse();
        schedule.decided(false);
        assertThat(schedule.dueWithinPoll())
                .as("three inputs after the first command")
                .isTrue();
    }

    @Test
    void shouldCommitABacklogInBoundedTransactions() {
        for (int i = 0; i < 49; i++) {
            schedule.decided(false);
        }
        assertThat(schedule.dueWithinPoll()).isFalse();
        schedule.decided(false);
        assertThat(schedule.dueWithinPoll())
                .as("50 inputs, the most a transaction takes")
                .isTrue();
    }

    @Test
    void shouldStartAfreshWhenTheNextTransactionBegins() {
        schedule.decided(true);
        assertThat(schedule.dueAtEndOfPoll(T0)).isTrue();
        schedule.began(T0 + 500 * MS);
        schedule.decided(false);
        assertThat(schedule.dueAtEndOfPoll(T0 + 550 * MS))
                .as("no command in this one, 50 ms in")
                .isFalse();
        assertThat(schedule.pollTimeout(T0 + 550 * MS)).isEqualTo(Duration.ofMillis(50));
    }
}
