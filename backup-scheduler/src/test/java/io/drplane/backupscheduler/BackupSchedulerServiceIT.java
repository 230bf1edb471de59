package io.drplane.backupscheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.backupscheduler.kafka.BackupSchedulerLoop;
import io.drplane.events.TopicSpec;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.MotoServer;
import io.drplane.testsupport.SharedKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup scheduler as it runs: the Micronaut service, its own principal and ACLs, the plan's backups, moto. */
class BackupSchedulerServiceIT {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2");

    @TempDir
    Path dir;

    @Test
    void shouldJoinItsConsumerGroupAndScheduleThePlansGroupsAsItsOwnPrincipal() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(REGIONS), (short) 1);
        }
        Path principal = SharedKafka.propertiesFile(SharedKafka.principal(
                "backup-scheduler-service-it",
                p -> ServiceAcls.of(ServiceAcls.Service.BACKUP_SCHEDULER, p, null, REGIONS)));
        String group = "s" + UUID.randomUUID().toString().substring(0, 8);
        Path plan = dir.resolve("plan.yml");
        Files.writeString(
                plan,
                BackupPlans.plan(BackupPlans.group(
                        group,
                        """
                        vault: vault-use1
                        resources: [ "arn:aws:rds:us-east-1:123456789012:db:db-%s" ]
                        rules:
                          - { name: daily, schedule: "cron(0 5 ? * * *)", startWindow: 1h, completionWindow: 2h, rpo: 26h,
                              copyTo: [ { region: us-west-2, vault: vault-usw2 } ] }
                        """
                                .formatted(group))));
        try (ApplicationContext service = ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(BackupSchedulerApplication.SERVICE))
                .properties(Map.of(
                        "kafka.bootstrap.servers", SharedKafka.bootstrapServers(),
                        "drplane.kafka-properties", principal.toString(),
                        "drplane.plan", plan.toString(),
                        "drplane.instance", "it",
                        "drplane.aws.endpoint", MotoServer.shared().endpoint().toString(),
                        "drplane.backup.tick-interval", "200ms",
                        "micronaut.server.port", -1))
                .start()) {
            BackupSchedulerLoop loop = service.getBean(BackupScheduler.class).loop();
            assertThat(loop.awaitAssigned(Duration.ofSeconds(60))).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.ownedGroups() == 1);
            assertThat(loop.problem()).isEmpty();
            MeterRegistry metrics = service.getBean(MeterRegistry.class);
            assertThat(metrics.get("drplane.backup.groups.owned").gauge().value())
                    .isEqualTo(1.0);
        }
    }
}
