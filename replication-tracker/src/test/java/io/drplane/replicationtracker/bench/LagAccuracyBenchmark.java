package io.drplane.replicationtracker.bench;

import io.drplane.devdb.PostgresPair;
import io.drplane.plan.DatabaseEndpoint;
import io.drplane.plan.ReplicationLink;
import io.drplane.replicationtracker.measure.HeartbeatMeasurer;
import io.drplane.replicationtracker.measure.LagMeasurer;
import io.drplane.replicationtracker.measure.LagReading;
import io.drplane.replicationtracker.measure.PostgresMeasurer;
import io.drplane.runtime.secrets.SecretResolver;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measured lag against true lag on a real PostgreSQL pair whose replay is paused under a write load (an insert every
 * 10 ms): while paused, the true lag is the time since the pause. Each method measures once per interval, as the
 * tracker does (the heartbeat beats four times per interval); the figures are the absolute errors. Goal: under one
 * interval + 100 ms.
 *
 * <pre>bench/replication-lag [INTERVAL_MS=1000] [PAUSE_SECONDS=20]</pre>
 */
public final class LagAccuracyBenchmark {

    public static void main(String[] args) throws Exception {
        long interval = args.length > 0 ? Long.parseLong(args[0]) : 1000;
        int pauseSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        CountDownLatch never = new CountDownLatch(1);
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try (PostgresPair pair = PostgresPair.start();
                Connection writer = pair.primary()) {
            try (Statement s = writer.createStatement()) {
                s.execute("CREATE TABLE orders (id bigserial primary key)");
            }
            ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
            load.scheduleAtFixedRate(
                    () -> {
                        try (Statement s = writer.createStatement()) {
                            s.execute("INSERT INTO orders DEFAULT VALUES");
                        } catch (Exception ignored) {
                            // not expected while the benchmark runs
                        }
                    },
                    0,
                    10,
                    TimeUnit.MILLISECONDS);

            SecretResolver secrets =
                    new SecretResolver(Map.of("PG_PASSWORD", PostgresPair.PASSWORD)::get, Optional.empty());
            DatabaseEndpoint primary = new DatabaseEndpoint(pair.primaryUrl(), PostgresPair.USER, "env:PG_PASSWORD");
            DatabaseEndpoint replica = new DatabaseEndpoint(pair.replicaUrl(), PostgresPair.USER, "env:PG_PASSWORD");
            Map<String, LagMeasurer> measurers = new LinkedHashMap<>();
            measurers.put(
                    "heartbeat",
                    new HeartbeatMeasurer(
                            link("hb", ReplicationLink.Method.HEARTBEAT, interval, primary, replica),
                            secrets,
                            Clock.systemUTC(),
                            Duration.ofSeconds(5)));
            measurers.put(
                    "postgres",
                    new PostgresMeasurer(
                            link("pg", ReplicationLink.Method.POSTGRES, interval, primary, replica),
                            secrets,
                            Duration.ofSeconds(5)));
            HeartbeatMeasurer heartbeat = (HeartbeatMeasurer) measurers.get("heartbeat");
            beats.scheduleAtFixedRate(
                    heartbeat::beat, 0, heartbeat.beatInterval().toMillis(), TimeUnit.MILLISECONDS);
            Map<String, List<Long>> caughtUpErrors = new LinkedHashMap<>();
            Map<String, List<Long>> pausedErrors = new LinkedHashMap<>();
            measurers.keySet().forEach(k -> {
                caughtUpErrors.put(k, new ArrayList<>());
                pausedErrors.put(k, new ArrayList<>());
            });

            for (int i = 0; i < 3; i++) { // warm-up: the first heartbeat has to be written and replayed
                never.await(interval, TimeUnit.MILLISECONDS);
                measurers.values().forEach(LagMeasurer::measure);
            }
            for (int i = 0; i < 5; i++) { // caught up: the true lag is (close to) zero
                never.await(interval, TimeUnit.MILLISECONDS);
                measurers.forEach((name, m) -> caughtUpErrors.get(name).add(Math.abs(lag(m.measure()))));
            }
            long pausedAt = System.currentTimeMillis();
            pair.pauseReplay();
            for (long t = interval; t <= pauseSeconds * 1000L; t += interval) {
                never.await(interval, TimeUnit.MILLISECONDS);
                measurers.forEach((name, m) -> {
                    long measured = lag(m.measure());
                    long trueLag = System.currentTimeMillis() - pausedAt;
                    pausedErrors.get(name).add(Math.abs(measured - trueLag));
                });
            }
            pair.resumeReplay();
            load.shutdownNow();
            beats.shutdownNow();
            measurers.values().forEach(LagMeasurer::close);

            System.out.printf(
                    "replication lag accuracy: PostgreSQL 15 pair on loopback, interval %d ms, replay paused %d s under "
                            + "an insert every 10 ms%n",
                    interval, pauseSeconds);
            System.out.printf(
                    "  %-10s %-26s %-26s%n", "method", "caught up: max |error|", "paused: max / mean |error|");
            for (String name : measurers.keySet()) {
                List<Long> paused = pausedErrors.get(name);
                System.out.printf(
                        "  %-10s %-26s %d ms / %.0f ms (%d samples; goal < %d ms)%n",
                        name,
                        max(caughtUpErrors.get(name)) + " ms",
                        max(paused),
                        paused.stream().mapToLong(Long::longValue).average().orElse(0),
                        paused.size(),
                        interval + 100);
            }
        } finally {
            load.shutdownNow();
        }
        System.exit(0);
    }

    private static long lag(LagReading reading) {
        if (reading.lagMillis() == null) {
            throw new IllegalStateException("no lag measured: " + reading);
        }
        return reading.lagMillis();
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static ReplicationLink link(
            String name,
            ReplicationLink.Method method,
            long interval,
            DatabaseEndpoint source,
            DatabaseEndpoint target) {
        return new ReplicationLink(
                name,
                "us-east-1",
                "us-west-2",
                method,
                Duration.ofMillis(interval),
                Duration.ofMinutes(1),
                source,
                target,
                null,
                null,
                null,
                method == ReplicationLink.Method.HEARTBEAT ? "drplane" : null);
    }
}
