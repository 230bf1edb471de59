package io.drplane.events.codec;

import io.drplane.events.Event;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import java.time.Instant;
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
 * Reading one health observation as the health monitor writes it, the coordinator's commonest input: through
 * {@link EventCodec#decode} (the single-pass reader) and through the general reader alone (tree, schema, binding).
 * Run with the allocation profiler to see bytes per read:
 *
 * <pre>bench/event-decode</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m"})
public class EventDecodeBenchmark {

    private final EventCodec codec = EventCodec.instance();
    private byte[] observation;

    @Setup
    public void setUp() {
        observation = codec.encode(new Event<>(
                "0b6f2f0e-8a57-4a53-9d0e-5b1f4c3a2d11",
                Event.sourceOf("health-monitor", "us-east-2a"),
                Instant.parse("2026-11-21T10:15:30.120Z"),
                new HealthObserved(
                        "group-4711",
                        "us-east-1",
                        "web",
                        "us-east-2a",
                        ProbeSource.HTTPS,
                        ProbeOutcome.OK,
                        200,
                        37,
                        Instant.parse("2026-11-21T10:15:30.083Z"),
                        null)));
    }

    @Benchmark
    public Event<?> singlePass() throws EventDecodingException {
        return codec.decode(observation);
    }

    @Benchmark
    public Event<?> general() throws EventDecodingException {
        return codec.decodeGenerally(observation);
    }
}
