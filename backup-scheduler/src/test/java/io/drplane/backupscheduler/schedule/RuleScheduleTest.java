package io.drplane.backupscheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.plan.BackupRule;
import io.drplane.plan.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS Backup's schedule semantics on a clock the test sets: start windows, missed runs, catch-up, time zones. */
class RuleScheduleTest {

    private static final Instant ANCHOR = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void shouldRunTheOccurrenceWhileItsStartWindowIsOpen() {
        RuleSchedule daily = schedule("cron(0 5 ? * * *)", ZoneOffset.UTC);

        RuleSchedule.Due due = daily.due(at("2026-12-05T04:00:00Z"), at("2026-12-05T05:30:00Z"));

        assertThat(due.missed()).isEmpty();
        assertThat(due.run()).hasValueSatisfying(run -> {
            assertThat(run.scheduledFor()).isEqualTo(at("2026-12-05T05:00:00Z"));
            assertThat(run.startBy()).isEqualTo(at("2026-12-05T13:00:00Z"));
            assertThat(run.completeBy()).isEqualTo(at("2026-12-12T05:00:00Z"));
            assertThat(run.name()).isEqualTo("drplane-shop-daily-20261205T0500Z");
        });
        assertThat(daily.due(at("2026-12-05T04:00:00Z"), at("2026-12-05T04:59:59Z"))
                        .run())
                .as("not due yet")
                .isEmpty();
    }

    @Test
    void shouldReportAnOccurrenceMissedOnceItsStartWindowClosed() {
        RuleSchedule.Due due = schedule("cron(0 5 ? * * *)", ZoneOffset.UTC)
                .due(at("2026-12-05T04:00:00Z"), at("2026-12-05T13:00:00Z"));

        assertThat(due.run()).isEmpty();
        assertThat(due.missed()).extracting(Occurrence::scheduledFor).containsExactly(at("2026-12-05T05:00:00Z"));
    }

    @Test
    void shouldRunOnlyTheLatestOccurrenceAfterADowntimeAndReportTheOthersMissed() {
        RuleSchedule.Due due = schedule("cron(0 5 ? * * *)", ZoneOffset.UTC)
                .due(at("2026-12-02T06:00:00Z"), at("2026-12-05T06:00:00Z"));

        assertThat(due.run()).map(Occurrence::scheduledFor).contains(at("2026-12-05T05:00:00Z"));
        assertThat(due.missed())
                .extracting(Occurrence::scheduledFor)
                .containsExactly(at("2026-12-03T05:00:00Z"), at("2026-12-04T05:00:00Z"));
    }

    @Test
    void shouldReadCronFieldsInTheRulesTimeZoneAcrossDaylightSavingTime() {
        RuleSchedule berlin = schedule("cron(0 5 ? * * *)", ZoneId.of("Europe/Berlin"));

        assertThat(berlin.nextAfter(at("2026-12-05T00:00:00Z"))).contains(at("2026-12-05T04:00:00Z")); // CET
        assertThat(berlin.nextAfter(at("2026-07-05T00:00:00Z"))).contains(at("2026-07-05T03:00:00Z")); // CEST
    }

    @Test
    void shouldCountRatesFromTheAnchor() {
        RuleSchedule twiceADay = schedule("rate(12 hours)", ZoneOffset.UTC);

        assertThat(twiceADay.nextAfter(at("2026-12-05T01:00:00Z"))).contains(at("2026-12-05T12:00:00Z"));
        assertThat(twiceADay
                        .due(at("2026-12-05T11:00:00Z"), at("2026-12-05T12:00:00Z"))
                        .run())
                .map(Occurrence::name)
                .contains("drplane-shop-twice-20261205T1200Z");
    }

    @Test
    void shouldLookAtABoundedNumberOfOccurrencesAfterAVeryLongDowntime() {
        RuleSchedule hourly = schedule("rate(1 hour)", ZoneOffset.UTC);

        RuleSchedule.Due due = hourly.due(ANCHOR, ANCHOR.plus(Duration.ofDays(365)));

        assertThat(due.missed().size() + (due.run().isPresent() ? 1 : 0)).isEqualTo(RuleSchedule.MAX_OCCURRENCES);
    }

    @Test
    void shouldCompressTheScheduleAndItsWindowsOnACompressedClock() {
        // a day in a minute from 04:00: the 05:00 run is due 2.5 s later, may start for 8 h / 1440 = 20 s
        Instant anchor = at("2026-12-05T04:00:00Z");
        RuleSchedule compressed = schedule("cron(0 5 ? * * *)", ZoneOffset.UTC, new TimeScale(1440, anchor));

        RuleSchedule.Due due = compressed.due(anchor, anchor.plusSeconds(3));

        assertThat(due.run()).hasValueSatisfying(run -> {
            assertThat(run.scheduledFor()).isEqualTo(anchor.plusMillis(2500));
            assertThat(run.startBy()).isEqualTo(anchor.plusMillis(22_500));
            assertThat(run.completeBy()).isEqualTo(anchor.plusMillis(2500).plusSeconds(420));
            assertThat(run.name())
                    .as("runs a minute apart or less keep distinct names")
                    .isEqualTo("drplane-shop-daily-20261205T040002Z");
        });
        assertThat(compressed.due(anchor, anchor.plusSeconds(23)).missed())
                .extracting(Occurrence::scheduledFor)
                .containsExactly(anchor.plusMillis(2500));
        assertThat(compressed.nextAfter(anchor.plusMillis(2500))).contains(anchor.plusMillis(62_500));
    }

    private static RuleSchedule schedule(String expression, ZoneId zone) {
        return schedule(expression, zone, TimeScale.REAL);
    }

    private static RuleSchedule schedule(String expression, ZoneId zone, TimeScale scale) {
        String name = expression.startsWith("rate") ? "twice" : "daily";
        return new RuleSchedule(
                "shop",
                new BackupRule(
                        name,
                        expression,
                        zone,
                        Duration.ofHours(8),
                        Duration.ofDays(7),
                        Duration.ofDays(8),
                        new Lifecycle(null, null),
                        List.of()),
                ANCHOR,
                scale);
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }
}
