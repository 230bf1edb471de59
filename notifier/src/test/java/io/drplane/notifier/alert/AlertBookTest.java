package io.drplane.notifier.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.AlertSeverity;
import io.drplane.events.AlertStatus;
import io.drplane.notifier.NotifierPlans;
import io.drplane.notifier.TestEvents;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alert lifecycle, Alertmanager's grouping, deduplication and escalation, on a clock the test moves. */
class AlertBookTest {

    private static final Instant T0 = TestEvents.T0;
    private static final Plan PLAN = PlanLoader.parse(
            NotifierPlans.shop(
                    "https://hooks.example.com/drplane",
                    "cloudevents",
                    """
                          - name: quick
                            channel: slack
                            url: env:NOTIFIER_TEST_SLACK_URL
                            events: [rpo.*]
                            groupWait: 0s
                            groupInterval: 1m
                            repeatInterval: 1h
                    """),
            "shop.yml");

    private final AlertBook book = new AlertBook(PLAN);

    @Test
    void shouldPageAtOnceAndTellChatAfterGroupWaitThenResolveBothAfterCompletion() {
        List<Dispatch> atOnce = book.observe(TestEvents.held("e1"), T0);
        assertThat(routes(atOnce)).containsExactly("pager");
        Dispatch page = atOnce.get(0);
        assertThat(page.alerts()).singleElement().satisfies(a -> {
            assertThat(a.key()).isEqualTo("failover/shop");
            assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(a.reasonCode()).isEqualTo("APPROVAL_REQUIRED");
            assertThat(a.sentence()).isEqualTo("every safety rule passed; the group is in approval mode.");
        });
        book.delivered(page, true);

        assertThat(book.due(T0.plusSeconds(29))).isEmpty();
        List<Dispatch> grouped = book.due(T0.plusSeconds(30));
        assertThat(routes(grouped)).containsExactlyInAnyOrder("chat", "hook");
        grouped.forEach(d -> book.delivered(d, true));

        // approved, started, completed: PagerDuty hears only the resolve (its route asked for held and failed)
        assertThat(book.observe(TestEvents.started("e2", 4), T0.plusSeconds(40)))
                .isEmpty();
        List<Dispatch> resolved = book.observe(TestEvents.completed("e3", 4), T0.plusSeconds(50));
        assertThat(routes(resolved)).containsExactly("pager");
        assertThat(resolved.get(0).alerts()).singleElement().satisfies(a -> assertThat(a.status())
                .isEqualTo(AlertStatus.RESOLVED));

        // chat and hook get the start and the completion together, one group interval after their last message
        assertThat(book.due(T0.plusSeconds(30).plus(Duration.ofMinutes(5)).minusSeconds(1)))
                .isEmpty();
        List<Dispatch> later = book.due(T0.plusSeconds(30).plus(Duration.ofMinutes(5)));
        assertThat(routes(later)).containsExactlyInAnyOrder("chat", "hook");
        assertThat(later.get(0).eventIds()).containsExactly("e2", "e3");
        assertThat(later.get(0).alerts()).singleElement().satisfies(a -> assertThat(a.status())
                .isEqualTo(AlertStatus.RESOLVED));
        later.forEach(d -> book.delivered(d, true));
        assertThat(book.nextDue()).as("nothing left to say").isEmpty();
        assertThat(book.firing()).isEmpty();
    }

    @Test
    void shouldSendNothingForAFlapThatResolvesInsideGroupWait() {
        assertThat(book.observe(TestEvents.down("e1"), T0))
                .isEmpty(); // only the webhook (every event) takes region alerts
        assertThat(book.observe(TestEvents.up("e2"), T0.plusSeconds(10))).isEmpty();
        assertThat(book.due(T0.plusSeconds(30))).isEmpty();
        assertThat(book.due(T0.plus(Duration.ofHours(5)))).isEmpty();
        assertThat(book.nextDue()).isEmpty();
        assertThat(book.waitingEventIds()).as("committable").isEmpty();
    }

    @Test
    void shouldTellOfAFailoverThatCompletedInsideGroupWait() {
        book.observe(TestEvents.started("e1", 4), T0);
        book.observe(TestEvents.completed("e2", 4), T0.plusSeconds(2));
        List<Dispatch> told = book.due(T0.plusSeconds(30));
        assertThat(routes(told)).containsExactlyInAnyOrder("chat", "hook");
        assertThat(told.get(0).alerts()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(a.title()).isEqualTo("shop: failover to us-west-2 completed in 4s");
        });
        assertThat(told.get(0).eventIds()).containsExactly("e1", "e2");
    }

    @Test
    void shouldLeadAMessageWithTheCompletedFailoverRatherThanAnAlertThatMerelyEnded() {
        book.observe(TestEvents.breached("e1"), T0);
        book.due(T0.plusSeconds(30)).forEach(d -> book.delivered(d, true)); // chat told of the RPO breach
        book.observe(TestEvents.restored("e2"), T0.plus(Duration.ofMinutes(6)));
        book.observe(TestEvents.started("e3", 4), T0.plus(Duration.ofMinutes(6)));
        book.observe(TestEvents.completed("e4", 4), T0.plus(Duration.ofMinutes(6)));
        List<Dispatch> told = book.due(T0.plus(Duration.ofMinutes(6)));
        Dispatch chat = told.stream()
                .filter(d -> d.route().name().equals("chat"))
                .findFirst()
                .orElseThrow();
        assertThat(chat.alerts())
                .extracting(AlertView::key)
                .containsExactlyInAnyOrder("rpo/shop/REPLICATION_LINK/orders-db", "failover/shop");
        assertThat(chat.lead().key()).as("the headline tells the story").isEqualTo("failover/shop");
    }

    @Test
    void shouldRepeatAStillFiringAlertEveryRepeatInterval() {
        book.observe(TestEvents.breached("e1"), T0);
        List<Dispatch> first = book.due(T0); // quick: groupWait 0s
        assertThat(routes(first)).containsExactly("quick");
        first.forEach(d -> book.delivered(d, true));
        book.due(T0.plusSeconds(30)).forEach(d -> book.delivered(d, true)); // chat and hook
        assertThat(book.due(T0.plus(Duration.ofMinutes(59)))).isEmpty();
        List<Dispatch> repeat = book.due(T0.plus(Duration.ofHours(1)));
        assertThat(routes(repeat)).containsExactly("quick");
        assertThat(repeat.get(0).eventIds()).as("a repeat covers no new event").isEmpty();
        assertThat(repeat.get(0).alerts()).singleElement().satisfies(a -> assertThat(a.firing())
                .isTrue());
    }

    @Test
    void shouldNeverSendAnEventTwiceToARouteAfterARestartAndStillResolveWhatWasTold() {
        List<Dispatch> page = book.observe(TestEvents.held("e1"), T0);
        book.delivered(page.get(0), true);

        // a restart: a new book learns what was sent from the notifications topic, then reads the input again
        AlertBook restarted = new AlertBook(PLAN);
        restarted.remember("pager", "failover/shop", AlertStatus.FIRING, List.of("e1"), true);
        assertThat(restarted.observe(TestEvents.held("e1"), T0.plusSeconds(5)))
                .as("the page was sent before the restart")
                .isEmpty();
        List<Dispatch> resolve = restarted.observe(TestEvents.completed("e3", 4), T0.plusSeconds(60));
        assertThat(routes(resolve)).containsExactly("pager");
    }

    @Test
    void shouldResolveTheAlertOnRoutesToldOfItBeforeARestartEvenWithoutItsFiringEvent() {
        AlertBook restarted = new AlertBook(PLAN);
        restarted.remember("pager", "failover/shop", AlertStatus.FIRING, List.of("e1"), true);
        List<Dispatch> resolve = restarted.observe(TestEvents.completed("e3", 4), T0);
        assertThat(routes(resolve)).containsExactly("pager");
        assertThat(resolve.get(0).alerts().get(0).status()).isEqualTo(AlertStatus.RESOLVED);
    }

    @Test
    void shouldEscalateACriticalAlertStillFiringAfterEscalateAfter() {
        book.observe(TestEvents.held("e1"), T0).forEach(d -> book.delivered(d, true));
        book.due(T0.plusSeconds(30)).forEach(d -> book.delivered(d, true));
        assertThat(routes(book.due(T0.plus(Duration.ofMinutes(10)).minusSeconds(1))))
                .doesNotContain("pager-escalation");
        List<Dispatch> escalated = book.due(T0.plus(Duration.ofMinutes(10)));
        assertThat(routes(escalated)).containsExactly("pager-escalation");
        assertThat(escalated.get(0).escalated()).isTrue();
        escalated.forEach(d -> book.delivered(d, true));
        // and the escalation route hears the resolve too
        assertThat(routes(book.observe(TestEvents.completed("e3", 4), T0.plus(Duration.ofMinutes(11)))))
                .containsExactlyInAnyOrder("pager", "pager-escalation");
    }

    @Test
    void shouldNotEscalateAnAlertResolvedInTime() {
        book.observe(TestEvents.held("e1"), T0).forEach(d -> book.delivered(d, true));
        book.observe(TestEvents.completed("e3", 4), T0.plus(Duration.ofMinutes(2)))
                .forEach(d -> book.delivered(d, true));
        assertThat(routes(book.due(T0.plus(Duration.ofMinutes(10))))).doesNotContain("pager-escalation");
    }

    @Test
    void shouldResolveAHeldFailoverWhenItsRegionComesBackButNotAStartedOne() {
        book.observe(TestEvents.held("e1"), T0).forEach(d -> book.delivered(d, true));
        assertThat(routes(book.observe(TestEvents.up("e2"), T0.plusSeconds(60))))
                .containsExactly("pager");

        AlertBook other = new AlertBook(PLAN);
        other.observe(TestEvents.held("e1"), T0).forEach(d -> other.delivered(d, true));
        other.observe(TestEvents.started("e2", 4), T0.plusSeconds(10));
        assertThat(other.observe(TestEvents.up("e3"), T0.plusSeconds(60)))
                .as("a started failover ends with completed, failed or aborted")
                .isEmpty();
        assertThat(other.firing()).extracting(AlertView::key).contains("failover/shop");
    }

    @Test
    void shouldKeepEventsOfAnUnsentGroupUncommittable() {
        book.observe(TestEvents.breached("e1"), T0);
        assertThat(book.waitingEventIds()).containsExactly("e1");
        book.due(T0).forEach(d -> book.delivered(d, true));
        assertThat(book.waitingEventIds()).as("chat and hook still wait").containsExactly("e1");
        book.due(T0.plusSeconds(30)).forEach(d -> book.delivered(d, true));
        assertThat(book.waitingEventIds()).isEmpty();
        assertThat(routes(book.observe(TestEvents.restored("e2"), T0.plusSeconds(40))))
                .isEmpty();
        assertThat(book.waitingEventIds()).containsExactly("e2");
    }

    static List<String> routes(List<Dispatch> dispatches) {
        return dispatches.stream().map(d -> d.route().name()).toList();
    }
}
