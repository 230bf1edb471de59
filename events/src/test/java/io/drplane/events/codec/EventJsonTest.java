package io.drplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written time format writes exactly what the formatter writes. */
class EventJsonTest {

    @Test
    void shouldWriteTimesAsTheFormatterDoesAcrossTheRange() {
        SplittableRandom random = new SplittableRandom(20261122);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-100_000_000_000L, 300_000_000_000L), random.nextInt(1_000_000_000));
            assertThat(EventJson.formatMillis(t)).as("%s", t).isEqualTo(EventJson.RFC3339_MILLIS.format(t));
        }
    }

    @Test
    void shouldTruncateToMillisAndHandleTheEdges() {
        assertThat(EventJson.formatMillis(Instant.parse("2026-11-21T10:15:30.120999999Z"))).isEqualTo("2026-11-21T10:15:30.120Z");
        assertThat(EventJson.formatMillis(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(EventJson.formatMillis(Instant.parse("2028-02-29T23:59:59.999Z"))).isEqualTo("2028-02-29T23:59:59.999Z");
        assertThat(EventJson.formatMillis(Instant.parse("9999-12-31T23:59:59.999Z"))).isEqualTo("9999-12-31T23:59:59.999Z");
        for (Instant edge : new Instant[] {Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.999Z"),
                Instant.parse("0001-01-01T00:00:00Z")}) {
            assertThat(EventJson.formatMillis(edge)).isEqualTo(EventJson.RFC3339_MILLIS.format(edge));
        }
    }
}
