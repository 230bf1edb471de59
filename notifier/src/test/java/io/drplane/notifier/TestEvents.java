package io.drplane.notifier;

import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverKind;
import io.drplane.events.FailoverStarted;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.events.RegionStateChanged;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.events.RpoScope;
import java.net.URI;
import java.time.Instant;

/** Events of group {@code shop} as the coordinator and the tracker write them, with ids of the test's choosing. */
public final class TestEvents {

    public static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private TestEvents() {}

    public static Event<?> held(String id) {
        return held("shop", id);
    }

    public static Event<?> held(String group, String id) {
        return event(
                id,
                new FailoverHeld(
                        group,
                        "f-1",
                        "us-east-1",
                        "us-west-2",
                        FailoverKind.UNPLANNED,
                        "drplane approve shop",
                        T0,
                        Reason.of(
                                ReasonCode.APPROVAL_REQUIRED,
                                "every safety rule passed; the group is in approval mode."),
                        Evidence.none()));
    }

    public static Event<?> started(String id, long epoch) {
        return event(
                id,
                new FailoverStarted(
                        "shop",
                        "f-1",
                        "us-east-1",
                        "us-west-2",
                        FailoverKind.UNPLANNED,
                        epoch,
                        "pilot-light",
                        T0,
                        Reason.of(ReasonCode.FAILOVER_APPROVED, "an operator approved the failover."),
                        Evidence.none()));
    }

    public static Event<?> completed(String id, long epoch) {
        return completed("shop", id, epoch);
    }

    public static Event<?> completed(String group, String id, long epoch) {
        return event(
                id,
                new FailoverCompleted(
                        group,
                        "f-1",
                        epoch,
                        "us-east-1",
                        "us-west-2",
                        4_000,
                        900_000,
                        250L,
                        60_000,
                        T0,
                        Reason.of(ReasonCode.FAILOVER_VERIFIED, "every check passed in us-west-2."),
                        Evidence.none()));
    }

    public static Event<?> down(String id) {
        return region(id, RegionHealth.UP, RegionHealth.DOWN, ReasonCode.QUORUM_DOWN);
    }

    public static Event<?> up(String id) {
        return region(id, RegionHealth.DOWN, RegionHealth.UP, ReasonCode.QUORUM_UP);
    }

    private static Event<?> region(String id, RegionHealth from, RegionHealth to, ReasonCode code) {
        return event(
                id,
                new RegionStateChanged(
                        "shop",
                        "us-east-1",
                        from,
                        to,
                        3,
                        0,
                        3,
                        2,
                        T0,
                        Reason.of(code, "3 of 3 vantage points agree."),
                        Evidence.none()));
    }

    public static Event<?> breached(String id) {
        return event(
                id,
                new RpoBreached(
                        "shop",
                        RpoScope.REPLICATION_LINK,
                        "orders-db",
                        60_000,
                        75_000,
                        T0,
                        Reason.of(ReasonCode.RPO_BREACHED, "orders-db is 75000 ms behind, over the 60000 ms RPO.")));
    }

    public static Event<?> restored(String id) {
        return event(
                id,
                new RpoRestored(
                        "shop",
                        RpoScope.REPLICATION_LINK,
                        "orders-db",
                        60_000,
                        1_000,
                        T0,
                        Reason.of(ReasonCode.RPO_RESTORED, "orders-db is 1000 ms behind.")));
    }

    public static Event<?> event(String id, EventData data) {
        return new Event<>(id, URI.create("/drplane/test"), T0, data);
    }
}
