package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.testsupport.SharedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicsCommandIT {

    @Test
    void shouldCreateEveryTopicOnceAndChangeNothingTheSecondTime() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String admin = SharedKafka.propertiesFile().toString();

        StringWriter first = new StringWriter();
        int firstExit = new CommandLine(new DrplaneCli())
                .setOut(new PrintWriter(first))
                .execute(
                        "topics",
                        "apply",
                        "-b",
                        bootstrap,
                        "--kafka-properties",
                        admin,
                        "--plan",
                        "../examples/two-region-shop.yml");
        StringWriter second = new StringWriter();
        int secondExit = new CommandLine(new DrplaneCli())
                .setOut(new PrintWriter(second))
                .execute(
                        "topics",
                        "apply",
                        "-b",
                        bootstrap,
                        "--kafka-properties",
                        admin,
                        "--plan",
                        "../examples/two-region-shop.yml");

        assertThat(firstExit).isZero();
        // On a shared or external broker some topics may exist already: together they are the 15 of the plan.
        Matcher summary = Pattern.compile("(\\d+) created, 0 raised, 0 config change\\(s\\), (\\d+) unchanged")
                .matcher(first.toString());
        assertThat(summary.find()).as(first.toString()).isTrue();
        assertThat(Integer.parseInt(summary.group(1)) + Integer.parseInt(summary.group(2)))
                .isEqualTo(15);
        assertThat(secondExit).isZero();
        assertThat(second.toString()).contains("0 created, 0 raised, 0 config change(s), 15 unchanged");
        try (Admin client = SharedKafka.admin()) {
            TopicDescription health = client.describeTopics(List.of("dr.health.v1"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("dr.health.v1");
            assertThat(health.partitions()).hasSize(12);
        }
    }
}
