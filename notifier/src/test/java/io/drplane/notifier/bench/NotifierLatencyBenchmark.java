package io.drplane.notifier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.drplane.events.Event;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoScope;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.notifier.channel.Channels;
import io.drplane.notifier.channel.Links;
import io.drplane.notifier.delivery.Deliverer;
import io.drplane.notifier.delivery.HttpSender;
import io.drplane.notifier.kafka.NotifierLoop;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.runtime.secrets.SecretResolver;
import io.drplane.testsupport.SharedKafka;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Decision event to webhook delivered, at a steady rate with grouping off (groupWait 0), through the real broker
 * and a real HTTP receiver; the notifier is stopped and started again in the middle of the burst, and the receiver
 * counts what arrived more than once. Prints p50/p90/p99 and the duplicate count.
 *
 * <p>{@code bench/notifier [ALERTS_PER_SECOND=100] [SECONDS=60]}
 */
public final class NotifierLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int total = rate * seconds;
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        Map<String, Long> latencies = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        receiver.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                for (JsonNode event : body.isArray() ? body : List.of(body)) {
                    String subject = event.path("subject").asText();
                    if (received.computeIfAbsent(subject, s -> new AtomicInteger())
                                    .incrementAndGet()
                            == 1) {
                        Long sent = sentAt.get(subject);
                        if (sent != null) {
                            latencies.put(subject, now - sent);
                        }
                    }
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.start();
        URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");

        // one group per alert, so every notification is about one new alert and a duplicate is a second POST
        StringBuilder yaml = new StringBuilder("version: 1\nvantagePoints: [v1, v2, v3]\ngroups:\n");
        for (int i = 0; i < total; i++) {
            yaml.append(
                    """
                      - id: b%s-%d
                        strategy: pilot-light
                        mode: observe
                        objectives: { rto: 15m, rpo: 1m }
                        regions:
                          - { name: us-east-1, role: primary, targets: [ { name: web, kind: https, url: "https://use1.example.com/" } ] }
                          - { name: us-west-2, role: standby }
                        notifications:
                          - { name: hook, channel: webhook, url: "%s", events: [rpo.breached], groupWait: 0s, groupInterval: 1s }
                    """
                            .formatted(run, i, hook));
        }
        Plan plan = PlanLoader.parse(yaml.toString(), "bench.yml");

        KafkaClientConfig kafka = KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection());
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        Channels channels = new Channels(
                plan,
                new SecretResolver(System::getenv, Optional.empty()),
                new HttpSender(Duration.ofSeconds(5)),
                new Channels.Settings(hook, Links.NONE, Optional.empty(), Optional.empty(), r -> null),
                Clock.systemUTC());
        Runner notifier = new Runner(plan, kafka, channels);

        System.out.printf(
                "%d alerts at %d/s, one group each, webhook with groupWait 0s; the notifier restarts at"
                        + " the half%n",
                total, rate);
        long restartBegan = 0;
        long restartEnded = 0;
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(kafka.eventProducer("bench"))) {
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + TimeUnit.SECONDS.toNanos(1) * i / rate;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                if (i == total / 2) {
                    restartBegan = System.nanoTime();
                    notifier.restart(); // in the middle of the burst: what was sent must not be sent again
                    restartEnded = System.nanoTime();
                }
                String group = "b" + run + "-" + i;
                Event<?> event = Event.of(
                        URI.create("/bench"),
                        Instant.now(),
                        new RpoBreached(
                                group,
                                RpoScope.REPLICATION_LINK,
                                "link",
                                60_000,
                                75_000,
                                Instant.now(),
                                Reason.of(ReasonCode.RPO_BREACHED, "link is 75000 ms behind, over the 60000 ms RPO.")));
                sentAt.put(group, System.nanoTime());
                producer.send(new ProducerRecord<>(TopicFamily.REPLICATION.topic(), group, event));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.size() < total && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        TimeUnit.SECONDS.sleep(3); // a late duplicate would show now
        notifier.close();
        receiver.stop(0);

        // Steady state: events sent while a notifier ran; those sent from the restart's start until the new instance
        // had caught up (its first delivery, plus a second) waited for it, and are reported apart.
        long caughtUp = restartEnded + TimeUnit.SECONDS.toNanos(1);
        List<Long> steady = new ArrayList<>();
        List<Long> acrossRestart = new ArrayList<>();
        long began = restartBegan;
        latencies.forEach((group, latency) -> {
            long sent = sentAt.get(group);
            (sent >= began - TimeUnit.SECONDS.toNanos(1) && sent <= caughtUp ? acrossRestart : steady).add(latency);
        });
        Collections.sort(steady);
        Collections.sort(acrossRestart);
        long duplicates = received.values().stream().mapToInt(c -> c.get() - 1).sum();
        System.out.printf(
                "delivered %d of %d; decision event to webhook delivered, steady state (%d alerts): p50 %.1f ms,"
                        + " p90 %.1f ms, p99 %.1f ms, max %.1f ms (goal: p99 under 1000 ms)%n",
                received.size(),
                total,
                steady.size(),
                ms(steady, 0.50),
                ms(steady, 0.90),
                ms(steady, 0.99),
                ms(steady, 1.0));
        System.out.printf(
                "through the restart (%d alerts sent while the notifier stopped, started and caught up, %.1f s):"
                        + " p50 %.1f ms, max %.1f ms%n",
                acrossRestart.size(),
                (restartEnded - restartBegan) / 1e9,
                ms(acrossRestart, 0.50),
                ms(acrossRestart, 1.0));
        System.out.printf(
                "duplicate deliveries across the restart, counted at the receiver: %d (goal: 0)%n", duplicates);
        System.exit(0);
    }

    private static double ms(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1_000_000.0;
    }

    /** The notifier's loop on a thread, as the service runs it. */
    private static final class Runner {
        private final Plan plan;
        private final KafkaClientConfig kafka;
        private final Channels channels;
        private NotifierLoop loop;
        private Thread thread;

        Runner(Plan plan, KafkaClientConfig kafka, Channels channels) throws InterruptedException {
            this.plan = plan;
            this.kafka = kafka;
            this.channels = channels;
            start();
        }

        private void start() throws InterruptedException {
            DeadLetteringReader reader = new DeadLetteringReader(
                    new KafkaProducer<>(kafka.deadLetterProducer("bench")),
                    NotifierLoop.GROUP_ID,
                    EventCodec.instance(),
                    Clock.systemUTC());
            loop = new NotifierLoop(
                    plan,
                    kafka,
                    "bench",
                    URI.create("/drplane/notifier/bench"),
                    reader,
                    channels,
                    new Deliverer(Deliverer.Settings.DEFAULT),
                    Clock.systemUTC(),
                    16);
            thread = new Thread(loop, "notifier-bench");
            thread.start();
            loop.awaitCaughtUp(Duration.ofSeconds(60));
        }

        void restart() throws InterruptedException {
            close();
            start();
        }

        void close() throws InterruptedException {
            loop.close();
            thread.join(30_000);
        }
    }

    private NotifierLatencyBenchmark() {}
}
