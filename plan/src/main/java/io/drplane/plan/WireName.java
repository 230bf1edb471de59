package io.drplane.plan;

import java.util.Locale;

/**
 * How enum constants are written where people read and type them (the plan, the CLI, reasons):
 * {@code WARM_STANDBY} is {@code warm-standby}. One helper, so a name reads the same everywhere.
 */
public final class WireName {

    private WireName() {}

    public static String of(Enum<?> constant) {
        return of(constant.name());
    }

    /** The wire name of a constant's name, as the HTTP API and events carry it ({@code PLANNED_SWITCHOVER}). */
    public static String of(String constantName) {
        return constantName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
