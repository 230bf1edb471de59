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

    private static RuleSchedule schedule(String expression, ZoneId zone) {
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
                ANCHOR);
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }
}
