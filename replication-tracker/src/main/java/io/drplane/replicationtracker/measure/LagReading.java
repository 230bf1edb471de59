package io.drplane.replicationtracker.measure;

import io.drplane.events.LagStatus;
import jakarta.annotation.Nullable;

/**
 * One measurement of a link. A lag that could not be measured is UNKNOWN, never zero; when only a lower bound is
 * known (the primary is silent), the status is AT_LEAST.
 */
public record LagReading(
        LagStatus status, @Nullable Long lagMillis, @Nullable Long bytesBehind, @Nullable String detail) {

    public static LagReading measured(long lagMillis, @Nullable Long bytesBehind, @Nullable String detail) {
        return new LagReading(LagStatus.MEASURED, Math.max(0, lagMillis), bytesBehind, detail);
    }

    public static LagReading atLeast(long lagMillis, String detail) {
        return new LagReading(LagStatus.AT_LEAST, Math.max(0, lagMillis), null, detail);
    }

    public static LagReading unknown(String detail) {
        return new LagReading(LagStatus.UNKNOWN, null, null, detail);
    }
}
