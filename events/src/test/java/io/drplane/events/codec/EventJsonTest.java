package io.drplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written time format writes exactly what the formatter writes. */
class EventJsonTest {

    @Test
    void shouldWriteTimesAsTheFormatterDoesAcrossTheRange() {
        SplittableRandom random = new SplittableRandom(20261122);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(
                    random.nextLong(-100_000_000_000L, 300_000_000_000L), random.nextInt(1_000_000_000));
            assertThat(EventJson.formatMillis(t)).as("%s", t).isEqualTo(EventJson.RFC3339_MILLIS.format(t));
        }
    }

    @Test
    void shouldTruncateToMillisAndHandleTheEdges() {
        assertThat(EventJson.formatMillis(Instant.parse("2026-11-21T10:15:30.120999999Z")))
                .isEqualTo("2026-11-21T10:15:30.120Z");
        assertThat(EventJson.formatMillis(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(EventJson.formatMillis(Instant.parse("2028-02-29T23:59:59.999Z")))
                .isEqualTo("2028-02-29T23:59:59.999Z");
        assertThat(EventJson.formatMillis(Instant.parse("9999-12-31T23:59:59.999Z")))
                .isEqualTo("9999-12-31T23:59:59.999Z");
        for (Instant edge : new Instant[] {
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("1969-12-31T23:59:59.999Z"),
            Instant.parse("0001-01-01T00:00:00Z")
        }) {
            assertThat(EventJson.formatMillis(edge)).isEqualTo(EventJson.RFC3339_MILLIS.format(edge));
        }
    }

    @Test
    void shouldReadUtcTimesAsTheFormatterDoesWithAnyFractionLength() {
        SplittableRandom random = new SplittableRandom(20261122);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(
                    random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000));
            String text = t.toString(); // ISO_INSTANT: no fraction, or 3, 6 or 9 digits
            int digits = random.nextInt(10);
            String written = text.substring(0, 19)
                    + (digits == 0
                            ? ""
                            : "." + String.format("%09d", t.getNano()).substring(0, digits)) + "Z";
            assertThat(EventJson.parseUtc(written)).as(written).isEqualTo(Instant.parse(written));
        }
    }

    @Test
    void shouldLeaveEveryOtherShapeToTheFormatter() throws Exception {
        for (String other : new String[] {
            "2026-02-29T10:15:30Z",
            "2026-13-01T10:15:30Z",
            "2026-04-31T10:15:30Z",
            "2026-11-21T24:00:00Z",
            "2026-11-21T10:60:00Z",
            "2016-12-31T23:59:60Z",
            "2026-11-21t10:15:30z",
            "2026-11-21T10:15:30+01:00",
            "2026-11-21T10:15:30.Z",
            "2026-11-21T10:15:30.1234567890Z",
            "+2026-11-21T10:15:30Z",
            "2026-11-21 10:15:30Z",
            "2026-1a-21T10:15:30Z",
            "2026-11-21T10:15:30.12a4Z",
            "not a time at all"
        }) {
            assertThat(EventJson.parseUtc(other)).as(other).isNull();
        }
        assertThat(EventJson.parseUtc("2028-02-29T23:59:59.999Z")).isEqualTo(Instant.parse("2028-02-29T23:59:59.999Z"));
        // The mapper still reads what the formatter reads, offsets included.
        assertThat(EventJson.mapper().readValue("\"2026-11-21T11:15:30.120+01:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-21T10:15:30.120Z"));
        assertThat(EventJson.mapper().readValue("\"2026-11-21T10:15:30.120Z\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-21T10:15:30.120Z"));
        assertThatThrownBy(() -> EventJson.mapper().readValue("\"2026-02-29T10:15:30Z\"", Instant.class))
                .isInstanceOf(JsonMappingException.class);
    }
}
