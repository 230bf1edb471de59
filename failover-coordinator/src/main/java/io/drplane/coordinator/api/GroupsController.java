package io.drplane.coordinator.api;

import io.drplane.coordinator.FailoverCoordinator;
import io.drplane.coordinator.safety.SafetyRule;
import io.drplane.coordinator.state.GroupState;
import io.drplane.coordinator.state.Pending;
import io.drplane.coordinator.view.ApiError;
import io.drplane.coordinator.view.ApprovalReceipt;
import io.drplane.coordinator.view.GroupView;
import io.drplane.coordinator.view.GroupViews;
import io.drplane.coordinator.view.OperatorReceipt;
import io.drplane.events.DrillRequested;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.FailoverAbortRequested;
import io.drplane.events.FailoverApproved;
import io.drplane.events.ReasonCode;
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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.serde.annotation.SerdeImport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The coordinator's API for people. Reads show each group's regions, votes, breakers, lag, failover and recent
 * decisions with their reasons. Changes are never applied to state directly: they are written as operator events
 * ({@code dr.operator.v1}) with the caller's principal, and the decider takes them in like any other input.
 */
@Controller("/groups")
@SerdeImport(GroupView.class)
@SerdeImport(GroupView.FailoverView.class)
@SerdeImport(GroupView.StepView.class)
@SerdeImport(GroupView.PendingView.class)
@SerdeImport(GroupView.VantageView.class)
@SerdeImport(GroupView.LinkLag.class)
@SerdeImport(GroupView.ObserverClock.class)
@SerdeImport(GroupView.DecisionView.class)
@SerdeImport(GroupView.LinkView.class)
@SerdeImport(GroupView.ReprotectView.class)
@SerdeImport(OperatorReceipt.class)
@SerdeImport(ApprovalReceipt.class)
@SerdeImport(ApiError.class)
public class GroupsController {

    private final Plan plan;
    private final FailoverCoordinator coordinator;
    private final EventPublisher publisher;
    private final Clock clock;

    public GroupsController(Plan plan, FailoverCoordinator coordinator, EventPublisher publisher, Clock clock) {
        this.plan = plan;
        this.coordinator = coordinator;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Get
    public List<GroupView> groups() {
        List<GroupView> groups = new ArrayList<>();
        for (Group group : plan.groups()) {
            groups.add(GroupViews.summary(group, coordinator.loop().view().state(group.id())));
        }
        return groups;
    }

    @Get("/{id}")
    public HttpResponse<?> group(@PathVariable String id) {
        Optional<Group> group = plan.group(id);
        if (group.isEmpty()) {
            return HttpResponse.notFound(new ApiError("no group " + id + " in the plan"));
        }
        Map<String, GroupView.ObserverClock> clocks = new LinkedHashMap<>();
        coordinator
                .loop()
                .view()
                .observerClocks(id)
                .forEach((vantage, clock) -> clocks.put(
                        vantage,
                        new GroupView.ObserverClock(
                                clock.skewMillis(), clock.refused(), clock.at().toString())));
        return HttpResponse.ok(GroupViews.detail(
                group.get(),
                coordinator.loop().view().state(id),
                coordinator.loop().view().timeline(id),
                clocks));
    }

    /**
     * Approves the failover the group holds now, past the refusal it is held for: 409 when nothing is held, when the
     * caller named another failover, or when no approval overrides that refusal; 200 with what was approved otherwise.
     */
    @Post("/{id}/approve")
    public HttpResponse<?> approve(
            @PathVariable String id,
            @RequestAttribute(ApiAuthFilter.PRINCIPAL) String principal,
            @Nullable @Body Map<String, String> body) {
        Optional<Group> group = plan.group(id);
        if (group.isEmpty()) {
            return HttpResponse.notFound(new ApiError("no group " + id + " in the plan"));
        }
        GroupState state = coordinator.loop().view().state(id).orElse(null);
        Held held = Held.of(state);
        if (held == null) {
            return conflict("nothing to approve: no failover or re-protect of " + id + " is held");
        }
        String named = field(body, "failoverId");
        if (named != null && !named.equals(held.id())) {
            return conflict(
                    held.what() + " " + named + " is not the one held: " + held.id() + " is, for " + held.heldFor());
        }
        if (!SafetyRule.approvable(held.heldFor())) {
            return conflict(held.what() + " " + held.id() + " is held for " + held.heldFor()
                    + ", which no approval overrides: " + held.heldFor().description());
        }
        Instant at = clock.instant();
        EventData approval = new FailoverApproved(id, held.id(), principal, field(body, "comment"), at, held.heldFor());
        return write(
                principal,
                approval,
                written -> HttpResponse.ok(new ApprovalReceipt(
                        held.id(),
                        held.heldFor().name(),
                        principal,
                        at.plus(group.get().failover().approvalExpiry()).toString(),
                        written.id())));
    }

    /**
     * What an approval would approve: a held failover first (it is what a person is waiting on), else a held
     * re-protect (waiting for approval, or on a step that failed for good).
     */
    private record Held(String what, String id, ReasonCode heldFor) {
        static Held of(GroupState state) {
            if (state == null) {
                return null;
            }
            Pending pending = state.pending();
            if (pending != null && pending.heldFor() != null) {
                return new Held("failover", pending.failoverId(), pending.heldFor());
            }
            var reprotect = state.reprotect();
            if (reprotect != null
                    && (reprotect.heldFor() == ReasonCode.APPROVAL_REQUIRED
                            || reprotect.heldFor() == ReasonCode.REPROTECT_STEP_FAILED)) {
                return new Held("re-protect", reprotect.id(), reprotect.heldFor());
            }
            return null;
        }
    }

    private static HttpResponse<?> conflict(String why) {
        return HttpResponse.<Object>status(HttpStatus.CONFLICT).body(new ApiError(why));
    }

    @Post("/{id}/abort")
    public HttpResponse<?> abort(
            @PathVariable String id,
            @RequestAttribute(ApiAuthFilter.PRINCIPAL) String principal,
            @Nullable @Body Map<String, String> body) {
        String failoverId = Optional.ofNullable(field(body, "failoverId"))
                .or(() -> coordinator
                        .loop()
                        .view()
                        .state(id)
                        .map(GroupState::failover)
                        .map(f -> f.id()))
                .orElse(null);
        if (failoverId == null) {
            return HttpResponse.<Object>status(HttpStatus.CONFLICT)
                    .body(new ApiError("no failover of " + id + " is in progress"));
        }
        return operate(
                id,
                principal,
                who -> new FailoverAbortRequested(id, failoverId, who, field(body, "comment"), clock.instant()));
    }

    @Post("/{id}/switchover")
    public HttpResponse<?> switchover(
            @PathVariable String id,
            @RequestAttribute(ApiAuthFilter.PRINCIPAL) String principal,
            @Nullable @Body Map<String, String> body) {
        return toRegion(
                id,
                principal,
                body,
                (who, region) -> new SwitchoverRequested(id, region, who, field(body, "comment"), clock.instant()));
    }

    /**
     * A planned switchover back to the plan's primary region: 409 when it is the primary already; otherwise it waits,
     * as every switchover does, for that region to replicate again (re-protect) and for zero lag.
     */
    @Post("/{id}/failback")
    public HttpResponse<?> failback(
            @PathVariable String id,
            @RequestAttribute(ApiAuthFilter.PRINCIPAL) String principal,
            @Nullable @Body Map<String, String> body) {
        Optional<Group> group = plan.group(id);
        if (group.isEmpty()) {
            return HttpResponse.notFound(new ApiError("no group " + id + " in the plan"));
        }
        String home = group.get().primary().name();
        String primary =
                coordinator.loop().view().state(id).map(GroupState::primary).orElse(home);
        if (primary.equals(home)) {
            return conflict("nothing to fail back: " + home + ", the plan's primary, is the primary");
        }
        return operate(
                id, principal, who -> new SwitchoverRequested(id, home, who, field(body, "comment"), clock.instant()));
    }

    @Post("/{id}/drill")
    public HttpResponse<?> drill(
            @PathVariable String id,
            @RequestAttribute(ApiAuthFilter.PRINCIPAL) String principal,
            @Nullable @Body Map<String, String> body) {
        return toRegion(
                id,
                principal,
                body,
                (who, region) -> new DrillRequested(id, region, who, field(body, "comment"), clock.instant()));
    }

    private HttpResponse<?> toRegion(
            String id, String principal, Map<String, String> body, BiFunction<String, String, EventData> event) {
        String region = field(body, "targetRegion");
        Optional<Group> group = plan.group(id);
        if (group.isPresent() && (region == null || group.get().region(region).isEmpty())) {
            return HttpResponse.badRequest(new ApiError("targetRegion must be one of "
                    + group.get().regions().stream().map(r -> r.name()).toList()));
        }
        return operate(id, principal, who -> event.apply(who, region));
    }

    private HttpResponse<?> operate(String id, String principal, Function<String, EventData> event) {
        if (plan.group(id).isEmpty()) {
            return HttpResponse.notFound(new ApiError("no group " + id + " in the plan"));
        }
        EventData data = event.apply(principal);
        return write(principal, data, written -> HttpResponse.<Object>status(HttpStatus.ACCEPTED)
                .body(new OperatorReceipt(data.eventType().typeName(), written.id(), principal)));
    }

    /** Writes the operator event to Kafka and answers with {@code answer}, or 503 when it cannot be written. */
    private HttpResponse<?> write(String principal, EventData data, Function<Event<?>, HttpResponse<?>> answer) {
        Event<?> written = Event.of(Event.sourceOf("failover-coordinator-api", principal), clock.instant(), data);
        try {
            publisher.publish(written).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return HttpResponse.<Object>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ApiError("could not write the request to Kafka: " + e.getMessage()));
        }
        return answer.apply(written);
    }

    private static String field(Map<String, String> body, String name) {
        return body == null ? null : body.get(name);
    }
}
