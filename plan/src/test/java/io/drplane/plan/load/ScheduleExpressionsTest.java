package io.drplane.plan.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "cron(0 5 ? * * *)",
                "cron(0 5 ? * SUN *)",
                "cron(30 */2 * * ? *)",
                "rate(1 hour)",
                "rate(12 hours)",
                "rate(1 day)"
            })
    void shouldAcceptAwsBackupSchedules(String expression) {
        assertThat(ScheduleExpressions.problem(expression)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "cron(0 5 * * *)|a cron expression has 6 fields, this one has 5",
                "cron(*/10 * ? * * *)|AWS Backup runs a rule at most once an hour",
                "rate(30 minutes)|AWS Backup runs a rule at most once an hour",
                "rate(1 hours)|AWS writes rate(1 hour) and rate(N hours)",
                "every day at five|expected cron(Minutes Hours"
            })
    void shouldSayWhatIsWrong(String expression, String problem) {
        assertThat(ScheduleExpressions.problem(expression))
                .hasValueSatisfying(p -> assertThat(p).contains(problem));
    }

    @Test
    void shouldComputeTheNextRunInUtc() {
        Instant after = Instant.parse("2026-11-21T06:00:00Z"); // a Saturday
        assertThat(ScheduleExpressions.nextAfter("cron(0 5 ? * * *)", after, after))
                .contains(Instant.parse("2026-11-22T05:00:00Z"));
        assertThat(ScheduleExpressions.nextAfter("cron(0 5 ? * SUN *)", after, after))
                .contains(Instant.parse("2026-11-22T05:00:00Z"));
        assertThat(ScheduleExpressions.nextAfter("rate(12 hours)", after, Instant.parse("2026-11-21T00:00:00Z")))
                .contains(Instant.parse("2026-11-21T12:00:00Z"));
    }
}
