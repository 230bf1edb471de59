package io.drplane.backupscheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The compressed clock of demos and game days: both clocks agree at the anchor, and every instant out is real. */
class TimeScaleTest {

    private static final Instant ANCHOR = Instant.parse("2026-12-05T04:00:00Z");
    private static final TimeScale DAY_A_MINUTE = new TimeScale(1440, ANCHOR);

    @Test
    void shouldRunThePlansClockFasterFromTheAnchor() {
        assertThat(DAY_A_MINUTE.planTime(ANCHOR)).isEqualTo(ANCHOR);
        assertThat(DAY_A_MINUTE.planTime(ANCHOR.plusSeconds(60))).isEqualTo(ANCHOR.plus(Duration.ofDays(1)));
        assertThat(DAY_A_MINUTE.realTime(ANCHOR.plus(Duration.ofDays(1)))).isEqualTo(ANCHOR.plusSeconds(60));
        assertThat(DAY_A_MINUTE.realDuration(Duration.ofHours(26))).isEqualTo(Duration.ofSeconds(65));
        assertThat(DAY_A_MINUTE.describe()).isEqualTo("1440x (a day in 1m)");
    }

    @Test
    void shouldMapAPlanTimeAfterAnInstantToARealTimeAfterIt() {
        // 1 ns of plan time is less than 1 ns of real time: rounding down would give the same real instant back
        Instant real = ANCHOR.plusSeconds(7);
        Instant justAfterOnThePlan = DAY_A_MINUTE.planTime(real).plusNanos(1);

        assertThat(DAY_A_MINUTE.realTime(justAfterOnThePlan)).isAfter(real);
    }

    @Test
    void shouldFindTheNextOccurrenceOnThePlansClockAndGiveItInRealTime() {
        // 04:00 on both clocks at the anchor; the plan's 05:00 comes 1 h / 1440 = 2.5 s later in real time
        assertThat(DAY_A_MINUTE.nextAfter("cron(0 5 ? * * *)", ANCHOR, ANCHOR, ZoneOffset.UTC))
                .contains(ANCHOR.plusMillis(2500));
        assertThat(DAY_A_MINUTE.nextAfter("cron(0 5 ? * * *)", ANCHOR.plusMillis(2500), ANCHOR, ZoneOffset.UTC))
                .contains(ANCHOR.plusMillis(62_500));
    }

    @Test
    void shouldBeFoundFromWhatThePlansClockShouldReadWhen() {
        Instant real = Instant.parse("2026-12-05T07:41:00Z");
        Instant planTime = Instant.parse("2026-12-06T05:00:00Z");

        TimeScale scale = TimeScale.reaching(1440, planTime, real);

        assertThat(Duration.between(planTime, scale.planTime(real)).abs()).isLessThan(Duration.ofNanos(1440));
        assertThat(scale.anchor()).isBefore(real);
    }

    /** Events carry milliseconds: a run remembered from its event must be the same run, not one just before it. */
    @Test
    void shouldScheduleOnWholeMillisecondsSoThatARememberedRunIsNotRunAgain() {
        TimeScale odd = new TimeScale(30, Instant.parse("2026-12-05T04:00:00.123456789Z"));
        Instant run = odd.nextAfter("cron(7 * * * ? *)", odd.anchor(), odd.anchor(), ZoneOffset.UTC)
                .orElseThrow();

        assertThat(run.getNano() % 1_000_000).isZero();
        Instant remembered = Instant.ofEpochMilli(run.toEpochMilli());
        Instant next = odd.nextAfter("cron(7 * * * ? *)", remembered, odd.anchor(), ZoneOffset.UTC)
                .orElseThrow();
        assertThat(next).as("the next hour's run, 120 s on").isEqualTo(run.plusSeconds(120));
    }

    @Test
    void shouldLeaveTimeAloneAtFactorOne() {
        Instant now = Instant.parse("2026-12-05T07:41:13.5Z");

        assertThat(TimeScale.REAL.planTime(now)).isEqualTo(now);
        assertThat(TimeScale.REAL.realTime(now)).isEqualTo(now);
        assertThat(TimeScale.REAL.realDuration(Duration.ofHours(8))).isEqualTo(Duration.ofHours(8));
        assertThat(TimeScale.REAL.compressed()).isFalse();
    }

    @Test
    void shouldRefuseAFactorBelowOne() {
        assertThatThrownBy(() -> new TimeScale(0, ANCHOR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1, not 0");
    }
}
