package io.drplane.notifier.route;

import java.util.List;

/** A route's event list: exact short types ({@code failover.held}) or families ({@code failover.*}, {@code *}). */
public final class EventGlob {

    private EventGlob() {}

    public static boolean matches(List<String> globs, String shortType) {
        for (String glob : globs) {
            if (glob.equals("*") || glob.equals(shortType)) {
                return true;
            }
            if (glob.endsWith(".*") && shortType.startsWith(glob.substring(0, glob.length() - 1))) {
                return true;
            }
        }
        return false;
    }
}
