package io.drplane.coordinator.decider;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.state.GroupState;
import io.drplane.coordinator.state.StateCodec;
import io.drplane.events.Event;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.RegionHealth;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A snapshot written under one plan, restored under a plan whose regions have other targets (a plan change between restarts). */
class PlanChangeTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void shouldDropBreakersOfAnotherTargetLayoutAndKeepGoing() {
        Decider before = new Decider(
                plan(
                        "[ { name: web, kind: https, url: \"https://a/\" }, { name: api, kind: https, url: \"https://a/api\" } ]"));
        GroupState state = before.initial("shop", T0);
        for (int i = 0; i < 3; i++) {
            for (String v : new String[] {"v1", "v2", "v3"}) {
                state = before.decide(state, probe("api", v, i)).state();
            }
        }
        assertThat(state.sightings()).isNotEmpty();
        GroupState restored = StateCodec.decode(StateCodec.encode(state));
        assertThat(restored.layout()).isEqualTo("us-east-1:web,api;us-west-2:web");

        Decider after = new Decider(plan("[ { name: web, kind: https, url: \"https://a/\" } ]"));
        GroupState next = after.decide(restored, probe("web", "v1", 4)).state();

        assertThat(next.layout()).isEqualTo("us-east-1:web;us-west-2:web");
        assertThat(next.sightings())
                .as("only the fresh sighting, under the new layout")
                .containsOnlyKeys("us-east-1|v1");
        assertThat(next.sightings().get("us-east-1|v1").size()).isEqualTo(1);
        assertThat(next.epoch()).isEqualTo(state.epoch());
        assertThat(next.regions()).containsEntry("us-east-1", RegionHealth.UNKNOWN);
    }

    private static Event<HealthObserved> probe(String target, String vantage, int second) {
        Instant at = T0.plusSeconds(second);
        return Event.of(
                URI.create("/test"),
                at,
                new HealthObserved(
                        "shop", "us-east-1", target, vantage, ProbeSource.HTTPS, ProbeOutcome.OK, 200, 5, at, null));
    }

    private static Plan plan(String primaryTargets) {
        return PlanLoader.parse(
                """
                version: 1
                vantagePoints: [v1, v2, v3]
                groups:
                  - id: shop
                    strategy: pilot-light
                    mode: automatic
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - { name: us-east-1, role: primary, targets: %s }
                      - { name: us-west-2, role: standby, targets: [ { name: web, kind: https, url: "https://b/" } ] }
                """
                        .formatted(primaryTargets),
                "plan.yml");
    }
}
