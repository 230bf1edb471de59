package io.drplane.coordinator.bench;

import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.decider.Decision;
import io.drplane.coordinator.state.GroupState;
import io.drplane.events.Event;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decider throughput on one thread: 1,000 groups, 3 vantage points, 5 targets per group (3 in the primary region,
 * 2 in the standby), probe results arriving round-robin with one in 20 failing. Each operation is one event through
 * {@link Decider#decide} with the group's state looked up and stored, as the coordinator's loop does.
 *
 * <pre>bench/coordinator</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx1g"})
public class DeciderBenchmark {

    static final int GROUPS = 1_000;
    static final String[] VANTAGES = {"v1", "v2", "v3"};
    static final String[][] TARGETS = {
        {"us-east-1", "web"}, {"us-east-1", "api"}, {"us-east-1", "db"}, {"us-west-2", "web"}, {"us-west-2", "api"}
    };
    static final int EVENTS = 1 << 16;

    private Decider decider;
    private final Map<String, GroupState> states = new HashMap<>();
    private Event<?>[] events;
    private int next;

    @Setup
    public void setUp() {
        Plan plan = PlanLoader.parse(plan(), "benchmark.yml");
        decider = new Decider(plan);
        Instant t0 = Instant.parse("2026-11-21T10:00:00Z");
        for (int g = 0; g < GROUPS; g++) {
            states.put("g" + g, decider.initial("g" + g, t0));
        }
        events = new Event<?>[EVENTS];
        URI source = URI.create("/drplane/health-monitor/bench");
        for (int i = 0; i < EVENTS; i++) {
            String[] target = TARGETS[i % TARGETS.length];
            String vantage = VANTAGES[(i / TARGETS.length) % VANTAGES.length];
            String group = "g" + ((i / (TARGETS.length * VANTAGES.length)) % GROUPS);
            Instant at = t0.plusMillis(i);
            boolean ok = i % 20 != 7;
            events[i] = new Event<>(
                    "e" + i,
                    source,
                    at,
                    new HealthObserved(
                            group,
                            target[0],
                            target[1],
                            vantage,
                            ProbeSource.HTTPS,
                            ok ? ProbeOutcome.OK : ProbeOutcome.TIMEOUT,
                            ok ? 200 : null,
                            12,
                            at,
                            null));
        }
    }

    @Benchmark
    public int decide() {
        Event<?> event = events[next++ & (EVENTS - 1)];
        String group = event.subject();
        Decision decision = decider.decide(states.get(group), event);
        states.put(group, decision.state());
        return decision.emitted().size();
    }

    static String plan() {
        StringBuilder yaml = new StringBuilder("version: 1\nvantagePoints: [v1, v2, v3]\ngroups:\n");
        for (int g = 0; g < GROUPS; g++) {
            yaml.append(
                    """
                      - id: g%d
                        strategy: warm-standby
                        mode: observe
                        objectives: { rto: 15m, rpo: 1m }
                        regions:
                          - name: us-east-1
                            role: primary
                            targets:
                              - { name: web, kind: https, url: "https://web.g%d.example.com/health" }
                              - { name: api, kind: https, url: "https://api.g%d.example.com/health" }
                              - { name: db, kind: tcp, host: db.g%d.internal, port: 5432 }
                          - name: us-west-2
                            role: standby
                            targets:
                              - { name: web, kind: https, url: "https://web-dr.g%d.example.com/health" }
                              - { name: api, kind: https, url: "https://api-dr.g%d.example.com/health" }
                    """
                            .formatted(g, g, g, g, g, g));
        }
        return yaml.toString();
    }
}
