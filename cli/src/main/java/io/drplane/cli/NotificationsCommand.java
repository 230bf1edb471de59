package io.drplane.cli;

import io.drplane.events.EventData;
import io.drplane.events.NotificationDelivered;
import io.drplane.events.NotificationFailed;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ReadToEnd;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** What the notifier sent, and what it could not, read from {@code dr.notifications.v1}. */
@Command(
        name = "notifications",
        mixinStandardHelpOptions = true,
        description = "List the notifications sent (and failed) per route, oldest first, from dr.notifications.v1.")
final class NotificationsCommand implements Callable<Integer> {

    @Option(
            names = {"-g", "--group"},
            description = "only this group")
    String group;

    @Option(names = "--last", defaultValue = "50", description = "the newest N only (default: ${DEFAULT-VALUE})")
    int last;

    @CommandLine.Mixin
    KafkaOptions kafkaOptions = new KafkaOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    record Line(Instant at, String text) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KafkaClientConfig kafka = kafkaOptions.config();
        List<Line> lines = new ArrayList<>();
        int[] unreadable = {0};
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerProperties(null, null))) {
            ReadToEnd.read(consumer, ReadToEnd.partitionsOf(consumer, TopicFamily.NOTIFICATIONS.topic()), record -> {
                try {
                    line(EventCodec.instance().decode(record.value()).data()).ifPresent(lines::add);
                } catch (Exception e) {
                    unreadable[0]++;
                }
            });
        }
        lines.sort(Comparator.comparing(Line::at));
        List<Line> shown = lines.subList(Math.max(0, lines.size() - last), lines.size());
        if (shown.isEmpty()) {
            out.println("no notification on record" + (group == null ? "" : " for " + group));
        }
        shown.forEach(l -> out.println(l.text()));
        if (unreadable[0] > 0) {
            out.println(unreadable[0] + " unreadable record(s) skipped");
        }
        out.flush();
        return 0;
    }

    private Optional<Line> line(EventData data) {
        if (data instanceof NotificationDelivered d && (group == null || group.equals(d.group()))) {
            return Optional.of(new Line(
                    d.at(),
                    String.format(
                            "%s  %-9s %-14s %-9s %-8s %s (%s, %d attempt(s))",
                            d.at(),
                            "sent",
                            d.route(),
                            d.channel().name().toLowerCase(),
                            d.status(),
                            d.alertKey(),
                            d.severity().name().toLowerCase(),
                            d.attempts())));
        }
        if (data instanceof NotificationFailed f && (group == null || group.equals(f.group()))) {
            return Optional.of(new Line(
                    f.at(),
                    String.format(
                            "%s  %-9s %-14s %-9s %-8s %s: %s %s (%d attempt(s)): %s",
                            f.at(),
                            "FAILED",
                            f.route(),
                            f.channel().name().toLowerCase(),
                            f.status(),
                            f.alertKey(),
                            f.reason().code(),
                            f.reason().message(),
                            f.attempts(),
                            f.error())));
        }
        return Optional.empty();
    }
}
