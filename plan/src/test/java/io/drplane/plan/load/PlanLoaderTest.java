package io.drplane.plan.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.drplane.plan.BackupRule;
import io.drplane.plan.Group;
import io.drplane.plan.HealthTarget;
import io.drplane.plan.Mode;
import io.drplane.plan.NotificationRoute;
import io.drplane.plan.Plan;
import io.drplane.plan.Region;
import io.drplane.plan.Strategy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PlanLoaderTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "two-region-shop.yml");

    @Test
    void shouldLoadTheExamplePlan() {
        Plan plan = PlanLoader.load(EXAMPLE);

        assertThat(plan.vantagePoints()).containsExactly("us-east-2a", "eu-west-1a", "office-fra");
        assertThat(plan.regions()).containsExactly("us-east-1", "us-west-2");
        Group shop = plan.group("shop").orElseThrow();
        assertThat(shop.strategy()).isEqualTo(Strategy.WARM_STANDBY);
        assertThat(shop.mode()).isEqualTo(Mode.AUTOMATIC);
        assertThat(shop.objectives().rto()).isEqualTo(Duration.ofMinutes(15));
        assertThat(shop.objectives().rpo()).isEqualTo(Duration.ofMinutes(1));
        assertThat(shop.primary().name()).isEqualTo("us-east-1");
        assertThat(shop.failover().maxClockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(shop.failover().approvalExpiry()).isEqualTo(Duration.ofMinutes(15));
        assertThat(shop.region("us-west-2").orElseThrow().role()).isEqualTo(Region.Role.STANDBY);
        HealthTarget web = shop.primary().targets().get(0);
        assertThat(web.kind()).isEqualTo(HealthTarget.Kind.HTTPS);
        assertThat(web.connectTimeout()).as("Route 53's default").isEqualTo(Duration.ofSeconds(4));
        assertThat(web.responseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(web.expectStatusFrom()).isEqualTo(200);
        assertThat(web.expectStatusTo()).isEqualTo(399);
        assertThat(shop.replication().get(0).maxLagOnFailover()).isEqualTo(Duration.ofMinutes(1));
        assertThat(shop.failover().quorumOf(3)).isEqualTo(2);

        BackupRule daily = shop.backup().rules().get(0);
        assertThat(daily.schedule()).isEqualTo("cron(0 5 ? * * *)");
        assertThat(daily.scheduleTimezone()).isEqualTo(ZoneOffset.UTC);
        assertThat(daily.startWindow()).isEqualTo(Duration.ofMinutes(60));
        assertThat(daily.completionWindow()).isEqualTo(Duration.ofMinutes(120));
        assertThat(daily.lifecycle().deleteAfterDays()).isEqualTo(30);
        assertThat(daily.copyTo().get(0).region()).isEqualTo("us-west-2");
        assertThat(daily.copyTo().get(0).lifecycle().deleteAfterDays()).isEqualTo(90);
        BackupRule weekly = shop.backup().rules().get(1);
        assertThat(weekly.schedule()).isEqualTo("cron(0 5 ? * SUN *)");
        assertThat(weekly.lifecycle().moveToColdStorageAfterDays()).isEqualTo(30);
        assertThat(weekly.lifecycle().deleteAfterDays()).isEqualTo(365);
    }

    @Test
    void shouldReportEveryErrorWithPathValueAndWhatIsAllowed() {
        PlanException error = catchThrowableOfType(
                PlanException.class, () -> PlanLoader.load(Path.of("src/test/resources/plans/many-errors.yml")));

        assertThat(error.errors())
                .extracting(PlanError::toString)
                .containsExactlyInAnyOrder(
                        "groups[0].regions[0].targets[0].url (line 13): 'htp://shop.example.com/health' is not allowed; "
                                + "expected an absolute URL with scheme https and a host, like https://shop.example.com/health",
                        "groups[0].regions[0].targets[0].interval (line 13): '0s' is not allowed; expected a duration from 1s to 30s, "
                                + "written as a number and a unit (ms, s, m, h, d), like 10s or 15m",
                        "groups[0].regions[1].targets[0].port (line 20): '0' is not allowed; expected a whole number from 1 to 65535",
                        "groups[0].replication[0].maxLagOnFaillover (line 27): 'maxLagOnFaillover' is not allowed; unknown key; allowed here: "
                                + "name, from, to, method, interval, maxLagOnFailover, targetResource",
                        "groups[0].replication[0].to (line 24): 'eu-central-1' is not allowed; expected one of the group's regions: us-east-1, us-west-2",
                        "groups[0].backup.rules[0].schedule (line 34): 'cron(0 5 * * * *)' is not allowed; one of Day-of-month and Day-of-week "
                                + "must be '?'; expected cron(Minutes Hours Day-of-month Month Day-of-week Year) in the rule's scheduleTimezone (UTC by default) with '?' in one day field, "
                                + "like cron(0 5 ? * * *), or rate(N hours|days), like rate(12 hours)",
                        "groups[0].backup.rules[0].scheduleTimezone (line 35): 'Mars/Olympus_Mons' is not allowed; an IANA time zone, like Europe/Berlin or America/New_York",
                        "groups[0].backup.rules[0].lifecycle.deleteAfterDays (line 38): '30' is not allowed; AWS Backup keeps a recovery point in "
                                + "cold storage for at least 90 days: deleteAfterDays must be at least moveToColdStorageAfterDays + 90 = 97, "
                                + "or leave out moveToColdStorageAfterDays",
                        "groups[0].failover.quorum (line 40): '1' is not allowed; a quorum must be more than half of the 3 vantage points, "
                                + "or two halves of a partition could each decide; use majority or at least 2",
                        "groups[0].mode (line 5): 'yolo' is not allowed; expected one of: automatic, approval, observe");
        assertThat(error.getMessage()).startsWith("plan src/test/resources/plans/many-errors.yml has 10 errors:");
    }

    @Test
    void shouldNameTheLineOfAYamlSyntaxError() {
        assertThatThrownBy(() -> PlanLoader.parse("version: 1\ngroups:\n  - id: [unclosed\n", "broken.yml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("broken.yml")
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("line 4");
    }

    @Test
    void shouldSayWhatIsMissingInAnEmptyPlan() {
        assertThatThrownBy(() -> PlanLoader.parse("", "empty.yml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("the plan is empty; it needs 'version', 'vantagePoints' and 'groups'");
    }

    @Test
    void shouldNameAMissingFile() {
        assertThatThrownBy(() -> PlanLoader.load(Path.of("no/such/plan.yml")))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("no/such/plan.yml")
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseAClockSkewThatAStaleObservationCouldHideIn() {
        String yaml =
                """
                version: 1
                vantagePoints: [a, b, c]
                groups:
                  - id: g
                    strategy: pilot-light
                    objectives: { rto: 1h, rpo: 15m }
                    regions:
                      - name: us-east-1
                        role: primary
                      - name: us-west-2
                        role: standby
                    failover:
                      staleness: 15s
                      maxClockSkew: 20s
                """;
        assertThatThrownBy(() -> PlanLoader.parse(yaml, "skew.yml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("groups[0].failover.maxClockSkew (line 14): '20s' is not allowed; the clock skew"
                        + " allowed must be less than the staleness bound (15 s)");
    }

    @Test
    void shouldRequireRolesThatMatchTheStrategy() {
        String yaml =
                """
                version: 1
                vantagePoints: [a, b, c]
                groups:
                  - id: g
                    strategy: pilot-light
                    objectives: { rto: 1h, rpo: 15m }
                    regions:
                      - name: us-east-1
                        role: standby
                      - name: us-west-2
                        role: standby
                """;
        assertThatThrownBy(() -> PlanLoader.parse(yaml, "roles.yml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining(
                        "groups[0].regions (line 8): '0 primary' is not allowed; exactly one region has role: primary");
    }

    @Test
    void shouldRejectDuplicateKeysAndGroupIds() {
        String yaml =
                """
                version: 1
                vantagePoints: [a, b, c]
                groups:
                  - id: g
                    id: h
                    strategy: pilot-light
                    objectives: { rto: 1h, rpo: 15m }
                    regions:
                      - { name: us-east-1, role: primary, targets: [ { name: web, kind: tcp, host: db.internal, port: 5432 } ] }
                      - { name: us-west-2, role: standby }
                """;
        assertThatThrownBy(() -> PlanLoader.parse(yaml, "dup.yml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining(
                        "groups[0].id (line 5): 'id' is not allowed; each key may appear once in a mapping");
    }

    @Test
    void shouldKeepPasswordsOutOfThePlanAndOutOfErrors() {
        String yaml =
                """
                version: 1
                vantagePoints: [a, b, c]
                groups:
                  - id: g
                    strategy: warm-standby
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - { name: us-east-1, role: primary, targets: [ { name: db, kind: tcp, host: db.internal, port: 5432 } ] }
                      - { name: us-west-2, role: standby }
                    replication:
                      - name: orders
                        from: us-east-1
                        to: us-west-2
                        method: postgres
                        source: { jdbcUrl: "jdbc:postgresql://p:5432/shop?password=hunter2", username: drplane }
                        target: { jdbcUrl: "jdbc:mysql://r:3306/shop", username: drplane, password: hunter2 }
                """;
        PlanException error = catchThrowableOfType(PlanException.class, () -> PlanLoader.parse(yaml, "secrets.yml"));

        assertThat(error.getMessage()).doesNotContain("hunter2");
        assertThat(error.errors())
                .extracting(PlanError::toString)
                .containsExactlyInAnyOrder(
                        "groups[0].replication[0].source.jdbcUrl (line 15): '(a URL with a password, not repeated here)' is not allowed; "
                                + "no password in the URL: put a reference (env:NAME or secretsmanager:ID) in 'password'",
                        "groups[0].replication[0].target.jdbcUrl (line 16): 'jdbc:mysql://r:3306/shop' is not allowed; method postgres needs "
                                + "a jdbc:postgresql:// URL",
                        "groups[0].replication[0].target.password (line 16): '(not repeated here)' is not allowed; passwords are not written "
                                + "in the plan: give a reference, env:NAME, ${NAME}, file:/path, secretsmanager:ID or ssm:/parameter-name");
    }

    @Test
    void shouldTakeNotificationCredentialsOnlyAsReferencesAndNeverRepeatThem() {
        String routes =
                """
                version: 1
                vantagePoints: [a, b, c]
                groups:
                  - id: g
                    strategy: warm-standby
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - { name: us-east-1, role: primary, targets: [ { name: web, kind: https, url: "https://a.example.com/" } ] }
                      - { name: us-west-2, role: standby }
                    notifications:
                      - { name: slack, channel: slack, url: "%s" }
                      - { name: pager, channel: pagerduty, routingKey: "%s" }
                      - { name: hook, channel: webhook, url: "https://hooks.example.com/drplane" }
                """;
        String slack = "https://hooks.slack.com/services/T0000/B0000/s3cr3tS3cr3tS3cr3t";
        String pager = "0123456789abcdef0123456789abcdef";
        PlanException error = catchThrowableOfType(
                PlanException.class, () -> PlanLoader.parse(routes.formatted(slack, pager), "routes.yml"));

        assertThat(error.getMessage()).doesNotContain("s3cr3t", pager);
        assertThat(error.errors())
                .extracting(PlanError::toString)
                .containsExactlyInAnyOrder(
                        "groups[0].notifications[0].url (line 11): '(not repeated here)' is not allowed; a Slack incoming webhook URL"
                                + " is a secret and is not written in the plan: give a reference, env:NAME, ${NAME}, file:/path,"
                                + " secretsmanager:ID or ssm:/parameter-name",
                        "groups[0].notifications[1].routingKey (line 12): '(not repeated here)' is not allowed; a PagerDuty Events v2"
                                + " routing key is a secret and is not written in the plan: give a reference, env:NAME, ${NAME},"
                                + " file:/path, secretsmanager:ID or ssm:/parameter-name");

        var plan = PlanLoader.parse(
                routes.formatted("secretsmanager:prod/drplane/slack", "file:/run/secrets/pagerduty-key"), "routes.yml");
        assertThat(plan.groups().get(0).notifications())
                .extracting(NotificationRoute::name, NotificationRoute::secret)
                .containsExactly(
                        tuple("slack", "secretsmanager:prod/drplane/slack"),
                        tuple("pager", "file:/run/secrets/pagerduty-key"),
                        tuple("hook", null));
    }

    @Test
    void shouldReadDatabaseEndpointsWithPasswordReferences() {
        String yaml =
                """
                version: 1
                vantagePoints: [a, b, c]
                groups:
                  - id: g
                    strategy: warm-standby
                    objectives: { rto: 15m, rpo: 30s }
                    regions:
                      - { name: us-east-1, role: primary, targets: [ { name: db, kind: tcp, host: db.internal, port: 5432 } ] }
                      - { name: us-west-2, role: standby }
                    replication:
                      - name: orders
                        from: us-east-1
                        to: us-west-2
                        method: heartbeat
                        source: { jdbcUrl: "jdbc:postgresql://p:5432/shop", username: drplane, password: "env:ORDERS_DB_PASSWORD" }
                        target: { jdbcUrl: "jdbc:postgresql://r:5432/shop", username: drplane, password: "secretsmanager:prod/orders-db" }
                """;
        var link =
                PlanLoader.parse(yaml, "ok.yml").groups().get(0).replication().get(0);

        assertThat(link.source().password()).isEqualTo("env:ORDERS_DB_PASSWORD");
        assertThat(link.target().password()).isEqualTo("secretsmanager:prod/orders-db");
        assertThat(link.heartbeatSchema()).isEqualTo("drplane");
        assertThat(link.maxLagOnFailover()).as("defaults to the RPO").isEqualTo(Duration.ofSeconds(30));
        assertThat(link.source().toString()).doesNotContain("ORDERS_DB_PASSWORD");
    }
}
