package io.drplane.healthmonitor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.healthmonitor.probe.ProbeTarget;
import io.drplane.plan.HealthTarget;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeSchedulerTest {

    private static ProbeTarget target(String name, Duration interval) {
        return new ProbeTarget(
                "shop",
                "us-east-1",
                new HealthTarget(
                        name,
                        HealthTarget.Kind.HTTP,
                        URI.create("http://x/" + name),
                        "GET",
                        Map.of(),
                        200,
                        399,
                        null,
                        null,
                        false,
                        null,
                        0,
                        interval,
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(2),
                        null,
                        null,
                        null));
    }

    @Test
    void shouldGiveEachTargetAStablePhaseWithinItsInterval() {
        ProbeTarget web = target("web", Duration.ofSeconds(10));
        Duration phase = ProbeScheduler.phase("us-east-2a", web);

        assertThat(phase).isBetween(Duration.ZERO, Duration.ofMillis(9_999));
        assertThat(ProbeScheduler.phase("us-east-2a", web))
                .as("the same after a restart")
                .isEqualTo(phase);
    }

    @Test
    void shouldSpreadTargetsAndVantagePointsOverTheInterval() {
        Set<Duration> phases = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            phases.add(ProbeScheduler.phase("us-east-2a", target("t" + i, Duration.ofSeconds(10))));
        }
        assertThat(phases).as("100 targets do not fire in lockstep").hasSizeGreaterThan(90);
        ProbeTarget web = target("web", Duration.ofSeconds(10));
        assertThat(ProbeScheduler.phase("eu-west-1a", web)).isNotEqualTo(ProbeScheduler.phase("us-east-2a", web));
    }
}
