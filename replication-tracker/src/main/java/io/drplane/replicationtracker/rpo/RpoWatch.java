package io.drplane.replicationtracker.rpo;

import io.drplane.events.GroupEvent;
import io.drplane.events.LagStatus;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.events.RpoScope;
import io.drplane.replicationtracker.measure.LagReading;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a link is within its group's RPO, with hysteresis: it is breached when the lag (measured, or known to be
 * at least) goes over the RPO, and restored only when a measured lag falls to {@value #RESTORE_PERCENT}% of it, so a
 * lag hovering at the line does not flap. An unknown lag changes nothing: it is neither a breach nor a recovery.
 */
public final class RpoWatch {

    public static final int RESTORE_PERCENT = 80;

    private final String group;
    private final String link;
    private final Duration rpo;
    private boolean breached;

    public RpoWatch(String group, String link, Duration rpo) {
        this.group = group;
        this.link = link;
        this.rpo = rpo;
    }

    /** The event to publish when this reading crosses the line, if it does. */
    public Optional<GroupEvent> observe(LagReading reading, Instant at) {
        if (reading.status() == LagStatus.UNKNOWN || reading.lagMillis() == null) {
            return Optional.empty();
        }
        long lag = reading.lagMillis();
        long rpoMillis = rpo.toMillis();
        if (!breached && lag > rpoMillis) {
            breached = true;
            String bound = reading.status() == LagStatus.AT_LEAST ? "at least " : "";
            return Optional.of(new RpoBreached(
                    group,
                    RpoScope.REPLICATION_LINK,
                    link,
                    rpoMillis,
                    lag,
                    at,
                    Reason.of(
                            ReasonCode.RPO_BREACHED,
                            link + " is " + bound + lag + " ms behind, over the " + rpoMillis + " ms RPO.")));
        }
        long restoreAt = rpoMillis * RESTORE_PERCENT / 100;
        if (breached && reading.status() == LagStatus.MEASURED && lag <= restoreAt) {
            breached = false;
            return Optional.of(new RpoRestored(
                    group,
                    RpoScope.REPLICATION_LINK,
                    link,
                    rpoMillis,
                    lag,
                    at,
                    Reason.of(
                            ReasonCode.RPO_RESTORED,
                            link + " is " + lag + " ms behind, back under " + RESTORE_PERCENT + "% of the " + rpoMillis
                                    + " ms RPO.")));
        }
        return Optional.empty();
    }

    public boolean breached() {
        return breached;
    }

    /**
     * The event {@link #observe} returned could not be published: the watch goes back to where it was, so the next
     * reading that crosses the line publishes it again instead of the breach (or the recovery) going unsaid.
     */
    public void notPublished(GroupEvent event) {
        if (event instanceof RpoBreached) {
            breached = false;
        } else if (event instanceof RpoRestored) {
            breached = true;
        }
    }
}
