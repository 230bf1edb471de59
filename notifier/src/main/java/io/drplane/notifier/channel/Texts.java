package io.drplane.notifier.channel;

import io.drplane.notifier.alert.AlertView;
import io.drplane.notifier.alert.Dispatch;

/** The words every channel shares: a headline for a dispatch. */
final class Texts {

    private Texts() {}

    /** Like "[FIRING:2] shop: failover us-east-1 → us-west-2 held, a person must decide", or "[RESOLVED] ...". */
    static String headline(Dispatch dispatch) {
        long firing = dispatch.alerts().stream().filter(AlertView::firing).count();
        AlertView lead = dispatch.lead();
        String prefix = firing > 0 ? "[FIRING:" + firing + "] " : "[RESOLVED] ";
        return (dispatch.escalated() ? "[ESCALATED] " : "") + prefix + lead.title();
    }

    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
