package io.drplane.plan.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drplane.plan.BackupPlan;
import io.drplane.plan.Group;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A backup rule that cannot keep its recovery point objective is refused before anything runs. */
class BackupPlanValidationTest {

    private static String plan(String strategy, String rpo, String backup) {
        return """
                version: 1
                vantagePoints: [a, b, c]
                groups:
                  - id: g
                    strategy: %s
                    objectives: { rto: 1h, rpo: %s }
                    regions:
                      - name: us-east-1
                        role: primary
                        targets: [ { name: web, kind: https, url: "https://use1.example.com/health" } ]
                      - name: us-west-2
                        role: standby
                    backup:
                      vault: g-vault
                      resources: [ "arn:aws:rds:us-east-1:123456789012:db:g-db" ]
                %s
                """
                .formatted(strategy, rpo, backup.indent(6).stripTrailing());
    }

    @Test
    void shouldTakeTheGroupsRpoForARuleWithoutOneAndTheNativeEngineByDefault() {
        Group g = PlanLoader.parse(
                        plan(
                                "pilot-light",
                                "6h",
                                """
                                rules:
                                  - { name: hourly, schedule: "rate(1 hour)", startWindow: 1h, completionWindow: 2h }
                                """),
                        "ok.yml")
                .group("g")
                .orElseThrow();
        assertThat(g.backup().engine()).isEqualTo(BackupPlan.Engine.NATIVE);
        assertThat(g.backup().rules().get(0).rpo()).isEqualTo(Duration.ofHours(6));
    }

    private static String drill(String validation) {
        return """
                rules:
                  - { name: hourly, schedule: "rate(1 hour)", startWindow: 1h, completionWindow: 2h }
                restoreTests:
                  - name: drill
                    schedule: cron(0 7 ? * * *)
                    rule: hourly
                    validation:
                %s
                """
                .formatted(validation.indent(6).stripTrailing());
    }

    @Test
    void shouldReadARestoreTestsSqlValidationWithItsCredentialsAsReferences() {
        Group g = PlanLoader.parse(
                        plan(
                                "pilot-light",
                                "6h",
                                drill(
                                        """
                                        sql: SELECT count(*) FROM orders
                                        database: shop
                                        minimum: 10
                                        username: env:SHOP_DB_USER
                                        password: secretsmanager:shop/db-readonly
                                        """)),
                        "drill.yml")
                .group("g")
                .orElseThrow();
        var validation = g.backup().restoreTests().get(0).validation();
        assertThat(validation.sql()).isEqualTo("SELECT count(*) FROM orders");
        assertThat(validation.database()).isEqualTo("shop");
        assertThat(validation.minimum()).isEqualTo(10);
        assertThat(validation.password()).isEqualTo("secretsmanager:shop/db-readonly");
    }

    @Test
    void shouldRefuseAValidationThatWritesOrCarriesItsPassword() {
        assertThatThrownBy(() -> PlanLoader.parse(
                        plan(
                                "pilot-light",
                                "6h",
                                drill(
                                        """
                                        sql: DELETE FROM orders
                                        database: shop
                                        username: env:SHOP_DB_USER
                                        password: hunter2-not-a-reference
                                        """)),
                        "writes.yml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("groups[0].backup.restoreTests[0].validation.sql")
                .hasMessageContaining("one read-only query (SELECT ... or WITH ...)")
                .hasMessageContaining("groups[0].backup.restoreTests[0].validation.password")
                .hasMessageContaining("is a secret and is not written in the plan")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldRefuseARuleWhoseGapAndCompletionWindowExceedItsRpo() {
        assertThatThrownBy(() -> PlanLoader.parse(
                        plan(
                                "warm-standby",
                                "1m",
                                """
                                rules:
                                  - { name: daily, schedule: "cron(0 5 ? * * *)", startWindow: 1h, completionWindow: 2h }
                                """),
                        "gap.yml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("groups[0].backup.rules[0].rpo")
                .hasMessageContaining("'1m' is not allowed; the schedule runs at best every 1d and a job may take its"
                        + " completion window (2h), so the newest recovery point can be 26h old: back up more often,"
                        + " or give the rule an rpo of at least 26h");
    }

    @Test
    void shouldAcceptTheRpoTheRefusalSuggests() {
        // the remedy the message above names, applied
        Group g = PlanLoader.parse(
                        plan(
                                "warm-standby",
                                "1m",
                                """
                                rules:
                                  - { name: daily, schedule: "cron(0 5 ? * * *)", startWindow: 1h, completionWindow: 2h, rpo: 26h }
                                """),
                        "fixed.yml")
                .group("g")
                .orElseThrow();
        assertThat(g.backup().rules().get(0).rpo()).isEqualTo(Duration.ofHours(26));
    }

    @Test
    void shouldFindTheLargestGapOfAnIrregularSchedule() {
        // Monday and Thursday: the gap from Thursday to Monday (4 days) is the one that counts
        assertThatThrownBy(() -> PlanLoader.parse(
                        plan(
                                "warm-standby",
                                "1m",
                                """
                                rules:
                                  - { name: twice, schedule: "cron(0 5 ? * MON,THU *)", startWindow: 1h, completionWindow: 2h, rpo: 3d3h }
                                """),
                        "irregular.yml"))
                .hasMessageContaining("'3d3h' is not allowed; expected a duration");
        assertThatThrownBy(() -> PlanLoader.parse(
                        plan(
                                "warm-standby",
                                "1m",
                                """
                                rules:
                                  - { name: twice, schedule: "cron(0 5 ? * MON,THU *)", startWindow: 1h, completionWindow: 2h, rpo: 75h }
                                """),
                        "irregular.yml"))
                .hasMessageContaining("runs at best every 4d")
                .hasMessageContaining("at least 98h");
    }

    @Test
    void shouldRefuseRecoveryPointsDeletedBeforeTheNextOneIsSureToExist() {
        assertThatThrownBy(() -> PlanLoader.parse(
                        plan(
                                "warm-standby",
                                "1m",
                                """
                                rules:
                                  - name: weekly
                                    schedule: cron(0 5 ? * SUN *)
                                    startWindow: 1h
                                    completionWindow: 2h
                                    rpo: 170h
                                    lifecycle: { deleteAfterDays: 5 }
                                    copyTo: [ { region: us-west-2, vault: v2, lifecycle: { deleteAfterDays: 7 } } ]
                                """),
                        "retention.yml"))
                .hasMessageContaining("groups[0].backup.rules[0].lifecycle.deleteAfterDays")
                .hasMessageContaining("'5' is not allowed; recovery points would be deleted before the next one is"
                        + " sure to exist (170h apart at worst)")
                .hasMessageContaining("groups[0].backup.rules[0].copyTo[0].lifecycle.deleteAfterDays")
                .hasMessageContaining("'7' is not allowed");
    }

    @Test
    void shouldRequireACopyInTheStandbyRegionOfABackupAndRestoreGroup() {
        String noCopy =
                """
                rules:
                  - { name: hourly, schedule: "rate(1 hour)", startWindow: 1h, completionWindow: 2h }
                """;
        assertThatThrownBy(() -> PlanLoader.parse(plan("backup-and-restore", "3h", noCopy), "nocopy.yml"))
                .hasMessageContaining("groups[0].backup.rules")
                .hasMessageContaining("a backup-and-restore group restores in us-west-2 from a copy there: give a"
                        + " rule with an RPO within the group's (3h) a copyTo us-west-2");
        String withCopy = noCopy.stripTrailing() + ", copyTo: [ { region: us-west-2, vault: v2 } ] }\n";
        withCopy = withCopy.replace("2h }, copyTo", "2h, copyTo");
        assertThat(PlanLoader.parse(plan("backup-and-restore", "3h", withCopy), "copy.yml")
                        .group("g")
                        .orElseThrow()
                        .backup()
                        .rules()
                        .get(0)
                        .copyTo())
                .singleElement()
                .satisfies(c -> assertThat(c.region()).isEqualTo("us-west-2"));
    }

    @Test
    void shouldRefuseARateScheduleForTheAwsBackupEngineAndSuggestACron() {
        String rules =
                """
                engine: aws-backup
                iamRole: arn:aws:iam::123456789012:role/backup
                rules:
                  - { name: sixhourly, schedule: "rate(6 hours)", startWindow: 1h, completionWindow: 2h, rpo: 8h }
                """;
        assertThatThrownBy(() -> PlanLoader.parse(plan("pilot-light", "1m", rules), "rate.yml"))
                .hasMessageContaining("groups[0].backup.rules[0].schedule")
                .hasMessageContaining("'rate(6 hours)' is not allowed; the aws-backup engine takes cron() only"
                        + " (AWS Backup has no rate()): write it as cron, like cron(0 0/6 * * ? *)");
        // the suggested expression is accepted
        Group g = PlanLoader.parse(
                        plan("pilot-light", "1m", rules.replace("rate(6 hours)", "cron(0 0/6 * * ? *)")), "cron.yml")
                .group("g")
                .orElseThrow();
        assertThat(g.backup().engine()).isEqualTo(BackupPlan.Engine.AWS_BACKUP);
    }

    @Test
    void shouldRefuseAResourceTheNativeEngineCannotSnapshot() {
        String yaml = plan(
                        "pilot-light",
                        "1m",
                        """
                        rules: [ { name: h, schedule: "rate(1 hour)", startWindow: 1h, completionWindow: 2h, rpo: 4h } ]
                        """)
                .replace(
                        "arn:aws:rds:us-east-1:123456789012:db:g-db",
                        "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1");
        assertThatThrownBy(() -> PlanLoader.parse(yaml, "efs.yml"))
                .hasMessageContaining("groups[0].backup.resources[0]")
                .hasMessageContaining("use engine: aws-backup for other resources");
    }

    @Test
    void shouldRequireTheRoleAwsBackupAssumes() {
        String rules =
                """
                engine: aws-backup
                rules: [ { name: h, schedule: "cron(0 * * * ? *)", startWindow: 1h, completionWindow: 2h, rpo: 4h } ]
                """;
        assertThatThrownBy(() -> PlanLoader.parse(plan("pilot-light", "1m", rules), "role.yml"))
                .hasMessageContaining("groups[0].backup.iamRole")
                .hasMessageContaining("the aws-backup engine needs the ARN of the IAM role AWS Backup assumes");
        Group g = PlanLoader.parse(
                        plan(
                                "pilot-light",
                                "1m",
                                rules
                                        + "iamRole: arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole\n"),
                        "role.yml")
                .group("g")
                .orElseThrow();
        assertThat(g.backup().iamRole()).endsWith("AWSBackupDefaultServiceRole");
    }

    @Test
    void shouldNameTheEnginesAllowed() {
        assertThatThrownBy(() -> PlanLoader.parse(
                        plan(
                                "pilot-light",
                                "1m",
                                """
                                engine: lambda
                                rules: [ { name: h, schedule: "rate(1 hour)", startWindow: 1h, completionWindow: 2h, rpo: 4h } ]
                                """),
                        "engine.yml"))
                .hasMessageContaining("groups[0].backup.engine")
                .hasMessageContaining("'lambda' is not allowed; expected one of: native, aws-backup");
    }
}
