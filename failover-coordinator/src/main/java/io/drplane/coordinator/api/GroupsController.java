package io.drplane.coordinator.api;

import io.drplane.coordinator.FailoverCoordinator;
import io.drplane.coordinator.state.GroupState;
import io.drplane.coordinator.state.Sighting;
import io.drplane.coordinator.replay.Replayer;
import io.drplane.events.DrillRequested;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.FailoverAbortRequested;
import io.drplane.events.FailoverApproved;
import io.drplane.events.SwitchoverRequested;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.runtime.EventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's API for people. Reads show each group's regions, votes, breakers, lag, failover and recent
 * decisions with their reasons. Changes are never applied to state directly: they are written as operator events
 * ({@code dr.operator.v1}) with the caller's principal, and the decider takes them in like any other input.
 */
@Controller("/groups")
public class GroupsController {

    private final Plan plan;
    private final FailoverCoordinator coordinator;
    private final EventPublisher publisher;
    private final ApiTokens tokens;
    private final Clock clock;

    public GroupsController(Plan plan, FailoverCoordinator coordinator, EventPublisher publisher, ApiTokens tokens, Clock clock) {
        this.plan = plan;
        this.coordinator = coordinator;
        this.publisher = publisher;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Get
    public List<Map<String, Object>> groups() {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Group group : plan.groups()) {
            groups.add(summary(group, coordinator.loop().view().state(group.id())));
        }
        return groups;
    }

    @Get("/{id}")
    public HttpResponse<Map<String, Object>> group(@PathVariable String id) {
        Optional<Group> group = plan.group(id);
        if (group.isEmpty()) {
            return HttpResponse.notFound(Map.of("error", "no group " + id + " in the plan"));
        }
        Optional<GroupState> state = coordinator.loop().view().state(id);
        Map<String, Object> body = summary(group.get(), state);
        state.ifPresent(s -> {
            Map<String, Object> votes = new LinkedHashMap<>();
            s.sightings().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> votes.put(e.getKey(), sighting(e.getValue())));
            body.put("vantagePoints", votes);
            Map<String, Object> lags = new LinkedHashMap<>();
            s.lags().forEach((link, lag) -> lags.put(link, lag.status() + (lag.lagMillis() == null ? "" : " " + lag.lagMillis() + " ms")
                    + " at " + lag.observedAt()));
            body.put("lag", lags);
        });
        List<String> timeline = coordinator.loop().view().timeline(id).stream().map(Replayer::describe).toList();
        body.put("timeline", timeline);
        if (!timeline.isEmpty()) {
            body.put("lastDecision", timeline.get(timeline.size() - 1));
        }
        return HttpResponse.ok(body);
    }

    @Post("/{id}/approve")
    public HttpResponse<Map<String, Object>> approve(@PathVariable String id, @Nullable @Header("Authorization") String authorization,
                                                    @Nullable @Body Map<String, String> body) {
        return operate(id, authorization, who -> new FailoverApproved(id, field(body, "failoverId"), who, field(body, "comment"), clock.instant()));
    }

    @Post("/{id}/abort")
    public HttpResponse<Map<String, Object>> abort(@PathVariable String id, @Nullable @Header("Authorization") String authorization,
                                                  @Nullable @Body Map<String, String> body) {
        String failoverId = Optional.ofNullable(field(body, "failoverId"))
                .or(() -> coordinator.loop().view().state(id).map(GroupState::failover).map(f -> f.id())).orElse(null);
        if (failoverId == null) {
            return withAuth(authorization).orElseGet(() -> HttpResponse.<Map<String, Object>>status(HttpStatus.CONFLICT)
                    .body(Map.of("error", "no failover of " + id + " is in progress")));
        }
        return operate(id, authorization, who -> new FailoverAbortRequested(id, failoverId, who, field(body, "comment"), clock.instant()));
    }

    @Post("/{id}/switchover")
    public HttpResponse<Map<String, Object>> switchover(@PathVariable String id, @Nullable @Header("Authorization") String authorization,
                                                       @Nullable @Body Map<String, String> body) {
        return toRegion(id, authorization, body, (who, region) -> new SwitchoverRequested(id, region, who, field(body, "comment"), clock.instant()));
    }

    @Post("/{id}/drill")
    public HttpResponse<Map<String, Object>> drill(@PathVariable String id, @Nullable @Header("Authorization") String authorization,
                                                  @Nullable @Body Map<String, String> body) {
        return toRegion(id, authorization, body, (who, region) -> new DrillRequested(id, region, who, field(body, "comment"), clock.instant()));
    }

    private HttpResponse<Map<String, Object>> toRegion(String id, String authorization, Map<String, String> body,
                                                      java.util.function.BiFunction<String, String, EventData> event) {
        String region = field(body, "targetRegion");
        Optional<Group> group = plan.group(id);
        if (group.isPresent() && (region == null || group.get().region(region).isEmpty())) {
            return withAuth(authorization).orElseGet(() -> HttpResponse.badRequest(Map.of("error", "targetRegion must be one of "
                    + group.get().regions().stream().map(r -> r.name()).toList())));
        }
        return operate(id, authorization, who -> event.apply(who, region));
    }

    /** 401 or 403 when the caller may not operate; empty when it may. */
    private Optional<HttpResponse<Map<String, Object>>> withAuth(String authorization) {
        Optional<ApiTokens.Principal> principal = tokens.principal(authorization);
        if (principal.isEmpty()) {
            return Optional.of(HttpResponse.<Map<String, Object>>status(HttpStatus.UNAUTHORIZED)
                    .header("WWW-Authenticate", "Bearer").body(Map.of("error", "a bearer token is required")));
        }
        if (!principal.get().canOperate()) {
            return Optional.of(HttpResponse.<Map<String, Object>>status(HttpStatus.FORBIDDEN)
                    .body(Map.of("error", principal.get().name() + " may read but not operate")));
        }
        return Optional.empty();
    }

    private HttpResponse<Map<String, Object>> operate(String id, String authorization, java.util.function.Function<String, EventData> event) {
        Optional<HttpResponse<Map<String, Object>>> denied = withAuth(authorization);
        if (denied.isPresent()) {
            return denied.get();
        }
        if (plan.group(id).isEmpty()) {
            return HttpResponse.notFound(Map.of("error", "no group " + id + " in the plan"));
        }
        String principal = tokens.principal(authorization).orElseThrow().name();
        EventData data = event.apply(principal);
        Event<?> written = Event.of(io.drplane.events.Event.sourceOf("failover-coordinator-api", principal), clock.instant(), data);
        try {
            publisher.publish(written).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return HttpResponse.<Map<String, Object>>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", "could not write the request to Kafka: " + e.getMessage()));
        }
        return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
                .body(Map.of("accepted", data.eventType().typeName(), "eventId", written.id(), "principal", principal));
    }

    private Map<String, Object> summary(Group group, Optional<GroupState> state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("group", group.id());
        body.put("strategy", group.strategy().name());
        body.put("mode", group.mode().name());
        state.ifPresentOrElse(s -> {
            body.put("primary", s.primary());
            body.put("epoch", s.epoch());
            body.put("analysis", s.analysis().name());
            body.put("analysisDescription", s.analysis().description());
            Map<String, String> regions = new LinkedHashMap<>();
            s.regions().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> regions.put(e.getKey(), e.getValue().name()));
            body.put("regions", regions);
            if (s.failover() != null) {
                Map<String, Object> failover = new LinkedHashMap<>();
                failover.put("id", s.failover().id());
                failover.put("kind", s.failover().kind().name());
                failover.put("to", s.failover().to());
                failover.put("epoch", s.failover().epoch());
                Map<String, String> steps = new LinkedHashMap<>();
                s.failover().steps().forEach((name, step) -> steps.put(name, step.status().name() + " (attempt " + step.attempt() + ")"));
                failover.put("steps", steps);
                body.put("failover", failover);
            }
            if (s.pending() != null) {
                body.put("pending", s.pending().kind() + " to " + s.pending().to() + (s.pending().heldFor() == null ? ""
                        : ", held: " + s.pending().heldFor()));
            }
        }, () -> body.put("primary", group.primary().name()));
        return body;
    }

    private static Map<String, Object> sighting(Sighting sighting) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("lastSeen", String.valueOf(sighting.lastSeen()));
        List<String> breakers = new ArrayList<>();
        for (int i = 0; i < sighting.size(); i++) {
            breakers.add(sighting.breaker(i) == null ? "CLOSED" : sighting.breaker(i).state().name());
        }
        view.put("breakers", breakers);
        return view;
    }

    private static String field(Map<String, String> body, String name) {
        return body == null ? null : body.get(name);
    }
}
