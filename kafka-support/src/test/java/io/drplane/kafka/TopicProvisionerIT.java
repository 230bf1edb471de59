package io.drplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.events.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicProvisionerIT {

    @Test
    void shouldCreateThenChangeNothingThenRepairDrift() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        TopicSpec events = new TopicSpec(
                "prov-events-" + suffix, 6, Map.of("retention.ms", "604800000", "cleanup.policy", "delete"));
        TopicSpec compacted = new TopicSpec("prov-state-" + suffix, 3, Map.of("cleanup.policy", "compact"));
        BrokerFixture.bootstrap();
        try (Admin admin = BrokerFixture.admin()) {
            TopicProvisioner provisioner = new TopicProvisioner(admin);

            TopicProvisioner.Result first = provisioner.apply(List.of(events, compacted), (short) 1);
            assertThat(first.created()).containsExactly(events.name(), compacted.name());

            TopicProvisioner.Result second = provisioner.apply(List.of(events, compacted), (short) 1);
            assertThat(second.changedAnything()).isFalse();
            assertThat(second.unchanged()).containsExactlyInAnyOrder(events.name(), compacted.name());

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, events.name());
            admin.incrementalAlterConfigs(Map.of(
                            resource,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
            TopicSpec morePartitions = new TopicSpec(events.name(), 12, events.configs());

            TopicProvisioner.Result third = provisioner.apply(List.of(morePartitions, compacted), (short) 1);
            assertThat(third.configsChanged()).containsExactly(events.name() + " retention.ms=604800000 (was 1000)");
            assertThat(third.partitionsRaised()).containsExactly(events.name() + " 6 -> 12 partitions");
            assertThat(admin.describeTopics(List.of(events.name()))
                            .allTopicNames()
                            .get()
                            .get(events.name())
                            .partitions())
                    .hasSize(12);

            // The broker applies a config change to its metadata a moment after it answers: read it back before
            // asking whether anything is left to change.
            await().atMost(Duration.ofSeconds(10)).until(() -> "604800000"
                    .equals(admin.describeConfigs(List.of(resource))
                            .all()
                            .get()
                            .get(resource)
                            .get("retention.ms")
                            .value()));
            TopicProvisioner.Result fewer = provisioner.apply(List.of(events, compacted), (short) 1);
            assertThat(fewer.warnings()).singleElement().asString().contains("has 12 partitions, the spec says 6");
            assertThat(fewer.changedAnything()).isFalse();
        }
    }
}
