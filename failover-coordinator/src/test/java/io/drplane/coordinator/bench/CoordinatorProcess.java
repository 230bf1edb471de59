package io.drplane.coordinator.bench;

import io.drplane.coordinator.kafka.CoordinatorLoop;
import io.drplane.coordinator.kafka.TickWriter;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.TestKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The coordinator's loop and tick writer in a JVM of their own, as the service runs them, for
 * {@link EndToEndLatencyBenchmark} when it measures a coordinator whose collector pauses only its own heap.
 * Arguments: the broker's bootstrap servers and the plan file. Prints {@value #READY} once it owns every partition;
 * then answers {@value #HEAP} on standard input with {@code heap <live bytes>}, and stops at end of input. Other
 * lines on its standard output are its log.
 */
public final class CoordinatorProcess {

    static final String READY = "ready";
    static final String HEAP = "heap";

    private CoordinatorProcess() {}

    public static void main(String[] args) throws Exception {
        Running coordinator = new Running(
                PlanLoader.load(Path.of(args[1])),
                // the broker's client settings (SASL), when it asks for them, as a service reads them
                args.length > 2
                        ? KafkaClientConfig.fromFile(args[0], Path.of(args[2]))
                        : KafkaClientConfig.plaintext(args[0]));
        System.out.println(READY);
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            if (line.equals(HEAP)) {
                System.out.println(HEAP + " " + liveHeap());
                System.out.flush();
            }
        }
        coordinator.close();
        System.exit(0);
    }

    /** The loop on a thread of its own, owning every partition, and the tick writer: the service without its API. */
    static final class Running implements AutoCloseable {
        private final CoordinatorLoop loop;
        private final Thread thread;
        private final TickWriter ticks;
        private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

        Running(Plan plan, KafkaClientConfig kafka) throws InterruptedException {
            DeadLetteringReader reader = new DeadLetteringReader(
                    new KafkaProducer<>(kafka.deadLetterProducer("e2e")),
                    "drplane-failover-coordinator",
                    EventCodec.instance(),
                    Clock.systemUTC());
            loop = new CoordinatorLoop(
                    plan,
                    kafka,
                    "e2e",
                    reader,
                    RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                    RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test"));
            thread = new Thread(loop, "coordinator");
            thread.start();
            CountDownLatch wait = new CountDownLatch(1);
            while (loop.owned().size() < TopicFamily.GROUP_PARTITIONS) {
                wait.await(100, TimeUnit.MILLISECONDS);
            }
            // The coordinator's clock, as in the service: a tick per owned partition per second, each deciding that
            // partition's groups (about GROUPS / 12 of them).
            ticks = new TickWriter(kafka, loop::owned, Clock.systemUTC(), "e2e");
            ticks.scheduleOn(clock, Duration.ofSeconds(1));
        }

        @Override
        public void close() throws InterruptedException {
            clock.shutdownNow();
            ticks.close();
            loop.close();
            thread.join(10_000);
        }
    }

    /** The heap still in use after full collections. */
    static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
