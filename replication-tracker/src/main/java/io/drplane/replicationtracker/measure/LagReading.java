package io.drplane.replicationtracker.measure;

import io.drplane.events.LagStatus;
import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * One measurement of a link ({@code dataAt}: for a metric, the start of the period its value is of; null when the
 * value is of now). A lag that could not be measured is UNKNOWN, never zero; when only a lower bound is
 * known (the primary is silent), the status is AT_LEAST.
 */
public record LagReading(
        LagStatus status,
        @Nullable Long lagMillis,
        @Nullable Long bytesBehind,
        @Nullable String detail,
        @Nullable Instant dataAt) {

    public static LagReading measured(long lagMillis, @Nullable Long bytesBehind, @Nullable String detail) {
        return new LagReading(LagStatus.MEASURED, Math.max(0, lagMillis), bytesBehind, detail, null);
    }

    public static LagReading atLeast(long lagMillis, String detail) {
        return new LagReading(LagStatus.AT_LEAST, Math.max(0, lagMillis), null, detail, null);
    }

    public static LagReading unknown(String detail) {
        return new LagReading(LagStatus.UNKNOWN, null, null, detail, null);
    }

    /** The same reading, from data of {@code at} (a metric's period: when its newest datapoint's minute began). */
    public LagReading at(Instant at) {
        return new LagReading(status, lagMillis, bytesBehind, detail, at);
    }
}
