package io.drplane.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.drplane.notifier.NotifierPlans;
import io.drplane.notifier.TestEvents;
import io.drplane.notifier.alert.AlertBook;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.delivery.Deliverer;
import io.drplane.notifier.delivery.HttpSender;
import io.drplane.plan.NotificationRoute;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slack, PagerDuty and webhooks against a real HTTP server (WireMock) standing in for the SaaS endpoints: the bodies
 * each destination documents, a 429 whose Retry-After is honoured, a 410 that is not retried, and a signature a
 * receiver can verify.
 */
class HttpChannelsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SLACK_PATH = "/services/T000/B000/XXXXSECRETXXXX";
    private static final String ROUTING_KEY = "R0UT1NGKEY0000000000000000000000";
    private static final String SIGNING_SECRET = "whsec_"
            + Base64.getEncoder()
                    .encodeToString("a-webhook-signing-secret-of-32-bytes".getBytes(StandardCharsets.UTF_8));
    private static final Clock CLOCK = Clock.fixed(TestEvents.T0.plusSeconds(30), ZoneOffset.UTC);

    private final WireMockServer server = new WireMockServer(options().dynamicPort());
    private final HttpSender http = new HttpSender(Duration.ofSeconds(5));
    private final Links links = new Links(Optional.of(URI.create("https://drplane.example.com")));
    private final Deliverer deliverer = new Deliverer(
            new Deliverer.Settings(4, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(20)));
    private Plan plan;

    @BeforeEach
    void start() {
        server.start();
        plan = PlanLoader.parse(NotifierPlans.shop(server.baseUrl() + "/hook", "cloudevents", ""), "shop.yml");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void shouldPostABlockKitMessageToSlack() {
        server.stubFor(post(SLACK_PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
        Dispatch chat = grouped("chat");
        Deliverer.Outcome outcome = deliver(new SlackChannel("chat", slackUrl(), http, links), chat);

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(1);
        server.verify(
                postRequestedFor(urlEqualTo(SLACK_PATH))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(
                                equalToJson(
                                        """
                        {
                          "text": "[FIRING:1] shop: failover us-east-1 → us-west-2 held, a person must decide",
                          "blocks": [
                            { "type": "header", "text": { "type": "plain_text",
                              "text": "[FIRING:1] shop: failover us-east-1 → us-west-2 held, a person must decide" } },
                            { "type": "section",
                              "text": { "type": "mrkdwn",
                                "text": "*CRITICAL* shop: failover us-east-1 → us-west-2 held, a person must decide\\n`APPROVAL_REQUIRED` every safety rule passed; the group is in approval mode." },
                              "fields": [
                                { "type": "mrkdwn", "text": "*group*\\nshop" },
                                { "type": "mrkdwn", "text": "*regions*\\nus-east-1 → us-west-2" },
                                { "type": "mrkdwn", "text": "*remedy*\\ndrplane approve shop" }
                              ] },
                            { "type": "context", "elements": [ { "type": "mrkdwn",
                              "text": "<https://drplane.example.com/groups/shop|shop in drplane> · alert `failover/shop`" } ] }
                          ]
                        }
                        """)));
    }

    @Test
    void shouldTriggerAndResolveInPagerDutyWithOneDedupKey() {
        server.stubFor(
                post("/v2/enqueue").willReturn(aResponse().withStatus(202).withBody("{\"status\":\"success\"}")));
        AlertBook book = new AlertBook(plan);
        PagerDutyChannel pager = pagerDuty();
        Dispatch trigger = book.observe(TestEvents.held("e1"), TestEvents.T0).get(0);
        assertThat(deliver(pager, trigger).delivered()).isTrue();
        book.delivered(trigger, true);
        Dispatch resolve = book.observe(TestEvents.completed("e3", 4), TestEvents.T0.plusSeconds(60))
                .get(0);
        assertThat(deliver(pager, resolve).delivered()).isTrue();

        server.verify(postRequestedFor(urlEqualTo("/v2/enqueue"))
                .withRequestBody(equalToJson(
                        """
                        {
                          "routing_key": "%s",
                          "event_action": "trigger",
                          "dedup_key": "failover/shop",
                          "payload": {
                            "summary": "shop: failover us-east-1 → us-west-2 held, a person must decide",
                            "severity": "critical",
                            "source": "drplane/shop",
                            "component": "us-east-1 → us-west-2",
                            "group": "shop",
                            "class": "failover.held",
                            "timestamp": "2026-12-05T10:00:00Z",
                            "custom_details": {
                              "reason_code": "APPROVAL_REQUIRED",
                              "reason": "every safety rule passed; the group is in approval mode.",
                              "event_id": "e1",
                              "group": "shop",
                              "regions": "us-east-1 → us-west-2",
                              "remedy": "drplane approve shop"
                            }
                          },
                          "links": [ { "href": "https://drplane.example.com/groups/shop", "text": "shop in drplane" } ]
                        }
                        """
                                .formatted(ROUTING_KEY))));
        server.verify(postRequestedFor(urlEqualTo("/v2/enqueue"))
                .withRequestBody(equalToJson(
                        """
                        { "routing_key": "%s", "event_action": "resolve", "dedup_key": "failover/shop" }
                        """
                                .formatted(ROUTING_KEY))));
    }

    @Test
    void shouldWaitWhatA429sRetryAfterSaysThenDeliver() {
        server.stubFor(post("/v2/enqueue")
                .inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("open"));
        server.stubFor(post("/v2/enqueue")
                .inScenario("throttled")
                .whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(202)));
        Dispatch page = new AlertBook(plan)
                .observe(TestEvents.held("e1"), TestEvents.T0)
                .get(0);

        Deliverer.Outcome outcome = deliver(pagerDuty(), page);

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(2);
        List<ServeEvent> served = served();
        assertThat(served).hasSize(2);
        long gap = served.get(1).getRequest().getLoggedDate().getTime()
                - served.get(0).getRequest().getLoggedDate().getTime();
        assertThat(gap).as("ms between the 429 and the retry").isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void shouldNotRetryAGoneWebhookAndKeepItsUrlOutOfTheError() {
        server.stubFor(post(SLACK_PATH).willReturn(aResponse().withStatus(410).withBody("no_service")));

        Deliverer.Outcome outcome = deliver(new SlackChannel("chat", slackUrl(), http, links), grouped("chat"));

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.permanent()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(served()).hasSize(1);
        assertThat(outcome.error())
                .isEqualTo("slack route chat: HTTP 410 no_service")
                .doesNotContain("SECRET");
    }

    @Test
    void shouldGiveUpOnA5xxAfterTheAttemptsAllowed() {
        server.stubFor(post(SLACK_PATH).willReturn(aResponse().withStatus(503)));

        Deliverer.Outcome outcome = deliver(new SlackChannel("chat", slackUrl(), http, links), grouped("chat"));

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.permanent()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(4);
        assertThat(served()).hasSize(4);
    }

    @Test
    void shouldSendTheCloudEventSignedTheStandardWebhooksWay() throws Exception {
        server.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));
        NotificationRoute route = route("hook");
        WebhookChannel hook = new WebhookChannel(
                "hook", route.url(), route.format(), new WebhookSignature(SIGNING_SECRET), http, links, CLOCK);

        assertThat(deliver(hook, grouped("hook")).delivered()).isTrue();

        ServeEvent request = served().get(0);
        assertThat(request.getRequest().getHeader("Content-Type"))
                .isEqualTo("application/cloudevents+json; charset=UTF-8");
        String body = request.getRequest().getBodyAsString();
        JsonNode event = JSON.readTree(body);
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo("e1");
        assertThat(event.get("type").asText()).isEqualTo("io.drplane.failover.held.v1");
        // verified as a receiver would, with the standard's recipe, not with our signer
        String id = request.getRequest().getHeader("webhook-id");
        String timestamp = request.getRequest().getHeader("webhook-timestamp");
        assertThat(timestamp).isEqualTo(Long.toString(CLOCK.instant().getEpochSecond()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SIGNING_SECRET.substring(6)), "HmacSHA256"));
        String expected = "v1,"
                + Base64.getEncoder()
                        .encodeToString(
                                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getRequest().getHeader("webhook-signature")).isEqualTo(expected);
    }

    @Test
    void shouldSpeakAlertmanagersWebhookFormat() {
        plan = PlanLoader.parse(NotifierPlans.shop(server.baseUrl() + "/hook", "alertmanager", ""), "shop.yml");
        server.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        NotificationRoute route = route("hook");
        WebhookChannel hook = new WebhookChannel("hook", route.url(), route.format(), null, http, links, CLOCK);

        assertThat(deliver(hook, grouped("hook")).delivered()).isTrue();

        server.verify(
                postRequestedFor(urlEqualTo("/hook"))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(
                                equalToJson(
                                        """
                        {
                          "version": "4",
                          "groupKey": "{}:{group=\\"shop\\", route=\\"hook\\"}",
                          "truncatedAlerts": 0,
                          "status": "firing",
                          "receiver": "hook",
                          "groupLabels": { "group": "shop" },
                          "commonLabels": { "group": "shop", "source": "drplane" },
                          "commonAnnotations": {},
                          "externalURL": "https://drplane.example.com/groups/shop",
                          "alerts": [ {
                            "status": "firing",
                            "labels": { "alertname": "failover.held", "group": "shop", "severity": "critical",
                                        "alert_key": "failover/shop" },
                            "annotations": {
                              "summary": "shop: failover us-east-1 → us-west-2 held, a person must decide",
                              "description": "every safety rule passed; the group is in approval mode.",
                              "reason_code": "APPROVAL_REQUIRED" },
                            "startsAt": "2026-12-05T10:00:00Z",
                            "endsAt": "0001-01-01T00:00:00Z",
                            "generatorURL": "https://drplane.example.com/groups/shop",
                            "fingerprint": "${json-unit.any-string}"
                          } ]
                        }
                        """)));
    }

    private Deliverer.Outcome deliver(Channel channel, Dispatch dispatch) {
        return deliverer.deliver(channel.destination(), 1000, () -> channel.send(dispatch));
    }

    /** The grouped notification {@code route} gets 30 s after a held failover. */
    private Dispatch grouped(String route) {
        AlertBook book = new AlertBook(plan);
        book.observe(TestEvents.held("e1"), TestEvents.T0);
        return book.due(TestEvents.T0.plusSeconds(30)).stream()
                .filter(d -> d.route().name().equals(route))
                .findFirst()
                .orElseThrow();
    }

    private NotificationRoute route(String name) {
        return plan.group("shop").orElseThrow().notifications().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private PagerDutyChannel pagerDuty() {
        return new PagerDutyChannel("pager", ROUTING_KEY, URI.create(server.baseUrl() + "/v2/enqueue"), http, links);
    }

    private URI slackUrl() {
        return URI.create(server.baseUrl() + SLACK_PATH);
    }

    private List<ServeEvent> served() {
        return server.getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
    }
}
