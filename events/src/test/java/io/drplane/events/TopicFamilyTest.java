package io.drplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TopicFamilyTest {

    private static final Instant T0 = Instant.parse("2026-12-05T05:00:00Z");

    @Test
    void shouldPublishABackupRulesRpoOnTheBackupTopicAndALinksOnTheReplicationTopic() {
        Reason reason = Reason.of(ReasonCode.RPO_BREACHED, "too old.");
        assertThat(TopicFamily.topicFor(
                        new RpoBreached("shop", RpoScope.BACKUP_RULE, "daily@us-west-2", 1, 2, T0, reason)))
                .isEqualTo("dr.backup.v1");
        assertThat(TopicFamily.topicFor(
                        new RpoRestored("shop", RpoScope.BACKUP_RULE, "daily@us-west-2", 1, 0, T0, reason)))
                .isEqualTo("dr.backup.v1");
        assertThat(TopicFamily.topicFor(
                        new RpoBreached("shop", RpoScope.REPLICATION_LINK, "orders-db", 1, 2, T0, reason)))
                .isEqualTo("dr.replication.v1");
    }
}
