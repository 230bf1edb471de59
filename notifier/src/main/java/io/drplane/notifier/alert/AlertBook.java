package io.drplane.notifier.alert;

import io.drplane.events.AlertSeverity;
import io.drplane.events.AlertStatus;
import io.drplane.events.Event;
import io.drplane.events.FailoverHeld;
import io.drplane.events.RegionStateChanged;
import io.drplane.notifier.route.EventGlob;
import io.drplane.plan.NotificationRoute;
import io.drplane.plan.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The notifier's brain: alerts with a lifecycle, routed, grouped and deduplicated the way Alertmanager does it, and
 * escalated. Pure and single-threaded: time comes in as arguments, sends go out as {@link Dispatch}es, and what was
 * delivered comes back through {@link #delivered}.
 *
 * <p>Grouped channels (Slack, e-mail, webhooks) collect a group's alerts per route: the first waits {@code groupWait},
 * later changes go out at most every {@code groupInterval}, and a still-firing alert is repeated every
 * {@code repeatInterval}. An alert that fires and resolves before it was ever told is dropped: a flap inside
 * {@code groupWait} sends nothing. PagerDuty and SNS get every change at once (PagerDuty deduplicates by its key).
 * The same event is never sent twice to a route: {@link #remember} rebuilds that knowledge after a restart.
 */
public final class AlertBook {

    private final Plan plan;
    private final Map<String, Alert> alerts = new HashMap<>();
    private final Map<BucketKey, Bucket> buckets = new LinkedHashMap<>();
    /** (route, event id) pairs already sent or given up on: never sent again. */
    private final Set<String> sent = new HashSet<>();
    /** (route, alert key) pairs whose last delivered notification said FIRING: a resolve goes to them. */
    private final Set<String> toldFiring = new HashSet<>();

    private final List<Escalation> escalations = new ArrayList<>();

    public AlertBook(Plan plan) {
        this.plan = plan;
    }

    /** An event arrived at {@code now}: the notifications to send at once (PagerDuty, SNS). */
    public List<Dispatch> observe(Event<?> event, Instant now) {
        List<Dispatch> immediate = new ArrayList<>();
        for (Signal signal : Signals.of(event)) {
            apply(signal, now, immediate);
        }
        return immediate;
    }

    private void apply(Signal signal, Instant now, List<Dispatch> immediate) {
        String group = signal.details().get("group");
        List<NotificationRoute> routes =
                plan.group(group).map(g -> g.notifications()).orElse(List.of());
        Alert alert = alerts.get(signal.key());
        if (signal.fires()) {
            if (alert == null || !alert.firing()) {
                Alert fresh = new Alert(signal.key(), group, now);
                if (alert != null) {
                    fresh.buckets = alert.buckets; // fired again before its resolve went out: the groups hold the key
                }
                alert = fresh;
                alerts.put(signal.key(), alert);
            }
            alert.update(signal);
            for (NotificationRoute route : routes) {
                if (EventGlob.matches(route.events(), signal.event().type().shortName())) {
                    alert.routes.add(route.name());
                    enqueue(route, alert, signal.event().id(), now, immediate, false);
                    scheduleEscalation(route, alert, now);
                }
            }
            return;
        }
        if (Signals.resolvesOnlyAHeldFailover(signal)
                && !(alert != null
                        && alert.latest.event().data() instanceof FailoverHeld held
                        && signal.event().data() instanceof RegionStateChanged up
                        && held.fromRegion().equals(up.region()))) {
            return;
        }
        Set<String> told = new LinkedHashSet<>(alert == null ? Set.of() : alert.routes);
        for (NotificationRoute route : routes) {
            if (toldFiring.contains(pair(route.name(), signal.key()))) {
                told.add(route.name());
            }
        }
        if (alert == null) {
            if (told.isEmpty()) {
                return; // nothing fired that anyone was told of
            }
            alert = new Alert(signal.key(), group, now);
            alerts.put(signal.key(), alert);
        }
        alert.resolve(signal);
        String resolvedKey = alert.key;
        escalations.removeIf(e -> e.alertKey().equals(resolvedKey));
        for (NotificationRoute route : routes) {
            if (told.contains(route.name())) {
                enqueue(route, alert, signal.event().id(), now, immediate, false);
            }
        }
        if (alert.buckets == 0) {
            alerts.remove(alert.key);
        }
    }

    private void enqueue(
            NotificationRoute route,
            Alert alert,
            String eventId,
            Instant now,
            List<Dispatch> immediate,
            boolean escalated) {
        if (sent.contains(pair(route.name(), eventId))) {
            return; // told before a restart
        }
        if (!route.channel().grouped()) {
            immediate.add(new Dispatch(route, alert.group, List.of(alert.view()), List.of(eventId), escalated));
            return;
        }
        BucketKey key = new BucketKey(alert.group, route.name());
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(route));
        if (bucket.alerts.add(alert.key)) {
            alert.buckets++;
        }
        bucket.eventIds.add(eventId);
        bucket.escalated |= escalated;
        bucket.changed = true;
        Instant due = bucket.lastFlush == null
                ? now.plus(route.grouping().groupWait())
                : max(now, bucket.lastFlush.plus(route.grouping().groupInterval()));
        if (bucket.nextFlush == null || due.isBefore(bucket.nextFlush)) {
            bucket.nextFlush = due;
        }
    }

    private void scheduleEscalation(NotificationRoute route, Alert alert, Instant now) {
        if (route.escalation() != null && alert.severity == AlertSeverity.CRITICAL && !alert.escalationScheduled) {
            alert.escalationScheduled = true;
            escalations.add(new Escalation(
                    alert.key,
                    alert.firedAt,
                    route.escalation(),
                    now.plus(route.escalation().after())));
        }
    }

    /** The grouped notifications and escalations due at {@code now}. */
    public List<Dispatch> due(Instant now) {
        List<Dispatch> out = new ArrayList<>();
        for (var it = escalations.iterator(); it.hasNext(); ) {
            Escalation escalation = it.next();
            if (escalation.at.isAfter(now)) {
                continue;
            }
            it.remove();
            Alert alert = alerts.get(escalation.alertKey);
            if (alert == null
                    || !alert.firing()
                    || !alert.firedAt.equals(escalation.firedAt)
                    || alert.severity != AlertSeverity.CRITICAL) {
                continue;
            }
            plan.group(alert.group)
                    .flatMap(g -> g.notifications().stream()
                            .filter(r -> r.name().equals(escalation.target.route()))
                            .findFirst())
                    .ifPresent(target -> {
                        alert.routes.add(target.name());
                        enqueue(target, alert, alert.latest.event().id(), now, out, true);
                    });
        }
        for (var it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next().getValue();
            if (bucket.nextFlush == null || bucket.nextFlush.isAfter(now)) {
                continue;
            }
            flush(bucket, now).ifPresent(out::add);
            if (bucket.alerts.isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    private Optional<Dispatch> flush(Bucket bucket, Instant now) {
        String route = bucket.route.name();
        List<AlertView> views = new ArrayList<>();
        String group = null;
        for (var it = bucket.alerts.iterator(); it.hasNext(); ) {
            Alert alert = alerts.get(it.next());
            group = alert.group;
            boolean told = toldFiring.contains(pair(route, alert.key));
            if (alert.firing()) {
                views.add(alert.view());
            } else {
                if (told || alert.latest.news()) {
                    views.add(alert.view());
                }
                // resolved: said once (if it was ever told), then it leaves the group
                it.remove();
                if (--alert.buckets == 0 && !alert.firing()) {
                    alerts.remove(alert.key);
                }
            }
        }
        boolean repeat = !bucket.changed;
        List<String> eventIds = List.copyOf(bucket.eventIds);
        boolean escalated = bucket.escalated;
        bucket.eventIds.clear();
        bucket.changed = false;
        bucket.escalated = false;
        bucket.lastFlush = now;
        boolean anyFiring = views.stream().anyMatch(AlertView::firing);
        bucket.nextFlush = anyFiring ? now.plus(bucket.route.grouping().repeatInterval()) : null;
        if (views.isEmpty() || (repeat && !anyFiring)) {
            return Optional.empty(); // a flap inside groupWait, or nothing left to say
        }
        return Optional.of(new Dispatch(bucket.route, group, views, eventIds, escalated));
    }

    /** The earliest time {@link #due} has something to do; empty when nothing waits. */
    public Optional<Instant> nextDue() {
        Instant next = null;
        for (Bucket bucket : buckets.values()) {
            if (bucket.nextFlush != null && (next == null || bucket.nextFlush.isBefore(next))) {
                next = bucket.nextFlush;
            }
        }
        for (Escalation escalation : escalations) {
            if (next == null || escalation.at.isBefore(next)) {
                next = escalation.at;
            }
        }
        return Optional.ofNullable(next);
    }

    /** A dispatch was delivered, or given up on: its events are never sent to its route again. */
    public void delivered(Dispatch dispatch, boolean success) {
        String route = dispatch.route().name();
        dispatch.eventIds().forEach(id -> sent.add(pair(route, id)));
        if (success) {
            for (AlertView alert : dispatch.alerts()) {
                told(route, alert.key(), alert.status());
            }
        }
    }

    /** What a notification on record says was sent (read back at start): never send it again. */
    public void remember(String route, String alertKey, AlertStatus status, List<String> eventIds, boolean success) {
        eventIds.forEach(id -> sent.add(pair(route, id)));
        if (success) {
            told(route, alertKey, status);
        }
    }

    private void told(String route, String alertKey, AlertStatus status) {
        if (status == AlertStatus.FIRING) {
            toldFiring.add(pair(route, alertKey));
        } else {
            toldFiring.remove(pair(route, alertKey));
        }
    }

    /** Event ids that wait in a group and are not sent yet: their input records must not be committed. */
    public Set<String> waitingEventIds() {
        Set<String> waiting = new HashSet<>();
        buckets.values().forEach(b -> waiting.addAll(b.eventIds));
        return waiting;
    }

    /** Alerts firing now. */
    public List<AlertView> firing() {
        return alerts.values().stream().filter(Alert::firing).map(Alert::view).toList();
    }

    /** How many alerts fire now. */
    public int firingCount() {
        int firing = 0;
        for (Alert alert : alerts.values()) {
            firing += alert.firing() ? 1 : 0;
        }
        return firing;
    }

    private static String pair(String route, String id) {
        return route + "\u0000" + id;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private record BucketKey(String group, String route) {}

    private record Escalation(String alertKey, Instant firedAt, NotificationRoute.Escalation target, Instant at) {}

    private static final class Bucket {
        final NotificationRoute route;
        final Set<String> alerts = new LinkedHashSet<>();
        final Set<String> eventIds = new LinkedHashSet<>();
        Instant lastFlush;
        Instant nextFlush;
        boolean changed;
        boolean escalated;

        Bucket(NotificationRoute route) {
            this.route = route;
        }
    }

    private static final class Alert {
        final String key;
        final String group;
        final Instant firedAt;
        String openedBy;
        final Set<String> routes = new LinkedHashSet<>();
        Signal latest;
        AlertSeverity severity = AlertSeverity.INFO;
        AlertStatus status = AlertStatus.FIRING;
        int buckets;
        boolean escalationScheduled;

        Alert(String key, String group, Instant firedAt) {
            this.key = key;
            this.group = group;
            this.firedAt = firedAt;
        }

        boolean firing() {
            return status == AlertStatus.FIRING;
        }

        void update(Signal signal) {
            if (openedBy == null) {
                openedBy = signal.event().id();
            }
            latest = signal;
            severity = signal.severity();
            status = AlertStatus.FIRING;
        }

        void resolve(Signal signal) {
            if (openedBy == null) {
                openedBy = signal.event().id(); // opened before a restart: the resolve threads on its own
            }
            latest = signal;
            status = AlertStatus.RESOLVED;
        }

        AlertView view() {
            return new AlertView(
                    key,
                    group,
                    status,
                    status == AlertStatus.RESOLVED ? severity : latest.severity(),
                    latest.title(),
                    latest.reasonCode(),
                    latest.sentence(),
                    latest.details(),
                    firedAt,
                    openedBy,
                    latest.event(),
                    latest.news());
        }
    }
}
