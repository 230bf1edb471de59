package io.drplane.healthmonitor.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.net.httpserver.HttpServer;
import io.drplane.events.Event;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.healthmonitor.probe.HttpProber;
import io.drplane.healthmonitor.probe.ProbeTarget;
import io.drplane.healthmonitor.probe.TrustStores;
import io.drplane.healthmonitor.publish.ObservationBuffer;
import io.drplane.healthmonitor.schedule.ProbeScheduler;
import io.drplane.plan.HealthTarget;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many probes one health monitor sustains: N targets on a local HTTP server, each probed every second, for a
 * measured window after a warm-up. Prints probes per second, the p99 schedule lag, CPU and heap. The HTTP server
 * runs in the same JVM, so the CPU figure includes serving the probes too. Observations go into the same bounded
 * buffer as in production, drained by a thread; Kafka is not part of this measurement.
 *
 * <pre>bench/health-monitor 1000 60</pre>
 */
public final class ProbeThroughputBenchmark {

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 15;

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(4));
        byte[] body = "status: ok".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange;
                    OutputStream out = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        });
        server.start();

        List<ProbeTarget> probeTargets = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            HealthTarget target = new HealthTarget(
                    "t" + i,
                    HealthTarget.Kind.HTTP,
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health/" + i),
                    "GET",
                    Map.of(),
                    200,
                    399,
                    "ok",
                    null,
                    false,
                    null,
                    0,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(4),
                    Duration.ofSeconds(2),
                    null,
                    null,
                    null);
            probeTargets.add(new ProbeTarget("g" + (i / 5), "us-east-1", target));
        }

        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        ObservationBuffer buffer = new ObservationBuffer(20_000);
        ExecutorService http = Executors.newFixedThreadPool(4);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        Clock clock = Clock.systemUTC();
        ProbeScheduler scheduler = new ProbeScheduler(
                probeTargets,
                List.of(new HttpProber("bench", clock, TrustStores.context(null, "", "PKCS12"), http)),
                (target, result) -> {
                    (result.outcome() == ProbeOutcome.OK ? ok : failed).increment();
                    buffer.add(Event.of(
                            URI.create("/drplane/health-monitor/bench"),
                            result.observedAt(),
                            new HealthObserved(
                                    target.group(),
                                    target.region(),
                                    target.target().name(),
                                    "bench",
                                    result.source(),
                                    result.outcome(),
                                    result.statusCode(),
                                    result.latencyMillis(),
                                    result.observedAt(),
                                    result.detail())));
                },
                "bench",
                clock,
                timer,
                1024,
                metrics);
        Thread drain = new Thread(
                () -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            buffer.take(100, TimeUnit.MILLISECONDS);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "drain");
        drain.setDaemon(true);
        drain.start();

        scheduler.start();
        CountDownLatch never = new CountDownLatch(1);
        never.await(warmup, TimeUnit.SECONDS);

        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        double skippedBefore =
                metrics.get("drplane.health.probes.skipped").counter().count();
        long okBefore = ok.sum();
        long failedBefore = failed.sum();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        long peakHeap = 0;
        for (int s = 0; s < seconds; s++) {
            never.await(1, TimeUnit.SECONDS);
            peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        }
        long wall = System.nanoTime() - wallBefore;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long probes = ok.sum() - okBefore + failed.sum() - failedBefore;
        scheduler.close();
        System.gc();
        long liveHeap = memory.getHeapMemoryUsage().getUsed();

        Timer lag = metrics.get("drplane.health.schedule.lag").timer();
        double p99 = 0;
        double p50 = 0;
        for (ValueAtPercentile v : lag.takeSnapshot().percentileValues()) {
            if (v.percentile() == 0.99) {
                p99 = v.value(TimeUnit.MILLISECONDS);
            } else if (v.percentile() == 0.5) {
                p50 = v.value(TimeUnit.MILLISECONDS);
            }
        }
        double wallSeconds = wall / 1e9;
        System.out.printf(
                "health-monitor probe benchmark: %d targets at 1 s, %d s measured after %d s warm-up, %d cores%n",
                targets, seconds, warmup, Runtime.getRuntime().availableProcessors());
        System.out.printf(
                "  probes/s sustained : %.0f (failed in window: %d, skipped at the in-flight limit: %.0f)%n",
                probes / wallSeconds,
                failed.sum() - failedBefore,
                metrics.get("drplane.health.probes.skipped").counter().count() - skippedBefore);
        System.out.printf("  schedule lag       : p50 %.1f ms, p99 %.1f ms%n", p50, p99);
        System.out.printf(
                "  CPU                : %.2f cores (%.0f%% of %d), server included%n",
                cpu / (double) wall,
                100.0 * cpu / wall / Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                "  heap               : peak used %d MB, live after GC %d MB (max %d MB)%n",
                peakHeap >> 20, liveHeap >> 20, memory.getHeapMemoryUsage().getMax() >> 20);
        timer.shutdownNow();
        http.shutdownNow();
        server.stop(0);
        System.exit(0);
    }
}
