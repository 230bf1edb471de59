package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.view.ApiJson;
import io.drplane.coordinator.view.GroupView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The group views as the coordinator's API writes them, shown for a terminal. */
class StatusViewTest {

    private static final String FAILING_OVER =
            """
            {"group":"shop","strategy":"WARM_STANDBY","mode":"AUTOMATIC","primary":"us-east-1","epoch":2,
             "analysis":"PRIMARY_REGION_DOWN","analysisDescription":"a quorum of fresh vantage points sees the primary region down",
             "regions":{"us-east-1":"DOWN","us-west-2":"UP"},
             "links":[{"name":"orders-db","from":"us-east-1","to":"us-west-2"}],
             "failover":{"id":"f-2","kind":"UNPLANNED","from":"us-east-1","to":"us-west-2","epoch":2,
                         "steps":[{"name":"promote-database","status":"DONE","attempt":1},
                                  {"name":"switch-dns","status":"PENDING","attempt":0}]},
             "vantagePoints":{"us-east-1|eu-west-1a":{"lastSeen":"2026-11-22T10:00:01Z","breakers":["OPEN","CLOSED"]},
                              "us-east-1|office-fra":{"lastSeen":"2026-11-22T10:00:02Z","breakers":["OPEN","OPEN"]}},
             "lag":{"orders-db":{"status":"MEASURED","lagMillis":300,"observedAt":"2026-11-22T09:59:58Z"}},
             "recoveryPoints":{"us-east-1":"2026-11-22T05:00:03Z","us-west-2":"2026-11-22T05:00:03Z"},
             "timeline":[{"time":"2026-11-22T10:00:03Z","type":"failover.started","reasonCode":"FAILOVER_AUTOMATIC",
                          "reason":"failing over to us-west-2."}]}
            """;

    @Test
    void shouldShowEveryGroupInAlignedColumns() throws Exception {
        List<GroupView> groups = ApiJson.groups(
                "[" + FAILING_OVER + ","
                        + "{\"group\":\"ledger-service\",\"strategy\":\"PILOT_LIGHT\",\"mode\":\"APPROVAL\",\"primary\":\"eu-west-1\",\"epoch\":0,"
                        + "\"analysis\":\"PRIMARY_REGION_DOWN\",\"regions\":{\"eu-west-1\":\"DOWN\",\"eu-central-1\":\"UP\"},"
                        + "\"pending\":{\"kind\":\"UNPLANNED\",\"to\":\"eu-central-1\",\"heldFor\":\"APPROVAL_REQUIRED\"}},"
                        + "{\"group\":\"new\",\"strategy\":\"BACKUP_AND_RESTORE\",\"mode\":\"OBSERVE\",\"primary\":\"us-east-1\"}]");

        assertThat(StatusView.groups(groups))
                .isEqualTo(
                        """
                GROUP           MODE       PRIMARY    ANALYSIS             REGIONS                          FAILOVER
                shop            automatic  us-east-1  PRIMARY_REGION_DOWN  us-east-1 DOWN, us-west-2 UP     UNPLANNED to us-west-2, epoch 2
                ledger-service  approval   eu-west-1  PRIMARY_REGION_DOWN  eu-west-1 DOWN, eu-central-1 UP  pending: UNPLANNED to eu-central-1, held: APPROVAL_REQUIRED
                new             observe    us-east-1  (no input yet)       -                                -
                """);
    }

    @Test
    void shouldShowOneGroupWithItsStepsVotesLagAndDecisions() throws Exception {
        assertThat(StatusView.group(ApiJson.group(FAILING_OVER)))
                .isEqualTo(
                        """
                Group shop (warm-standby, automatic mode), epoch 2
                  primary    us-east-1
                  analysis   PRIMARY_REGION_DOWN: a quorum of fresh vantage points sees the primary region down
                  regions    us-east-1 DOWN, us-west-2 UP
                  links      orders-db us-east-1 -> us-west-2
                  failover   f-2 to us-west-2 (UNPLANNED, epoch 2)
                               promote-database: DONE (attempt 1)
                               switch-dns: PENDING (attempt 0)
                  vantage points
                    REGION|VANTAGE POINT  LAST SEEN             BREAKERS (per target)
                    us-east-1|eu-west-1a  2026-11-22T10:00:01Z  OPEN CLOSED
                    us-east-1|office-fra  2026-11-22T10:00:02Z  OPEN OPEN
                  replication lag
                    orders-db  MEASURED 300 ms at 2026-11-22T09:59:58Z
                  recovery points
                    us-east-1  data of 2026-11-22T05:00:03Z (newest recovery point there)
                    us-west-2  data of 2026-11-22T05:00:03Z (newest recovery point there)
                  recent decisions
                    failover.started FAILOVER_AUTOMATIC: failing over to us-west-2.
                """);
    }

    @Test
    void shouldShowTheLiveTopologyAndReprotectAfterAFailover() throws Exception {
        GroupView after = ApiJson.group(
                """
                {"group":"shop","strategy":"WARM_STANDBY","mode":"AUTOMATIC","primary":"us-west-2","epoch":3,
                 "analysis":"REPROTECTING","analysisDescription":"re-protect runs",
                 "regions":{"us-east-1":"UP","us-west-2":"UP"},"links":[],
                 "reprotect":{"id":"shop-reprotect-2","failoverId":"f-2","primary":"us-west-2","replicaRegion":"us-east-1",
                              "status":"WAITING","heldFor":"REPROTECT_STEP_FAILED","epoch":3,
                              "steps":[{"name":"final-snapshot","status":"DONE","attempt":1},
                                       {"name":"create-replica","status":"FAILED","attempt":3}]},
                 "timeline":[]}
                """);

        assertThat(StatusView.group(after))
                .contains(
                        """
                  links      none: the primary's data has no replica
                  re-protect shop-reprotect-2: us-east-1 becomes a replica of us-west-2 (WAITING, held for REPROTECT_STEP_FAILED)
                               final-snapshot: DONE (attempt 1)
                               create-replica: FAILED (attempt 3)
                """);
    }

    @Test
    void shouldSayWhenTheCoordinatorHasDecidedNothingForTheGroupYet() throws Exception {
        GroupView fresh = ApiJson.group(
                "{\"group\":\"new\",\"strategy\":\"BACKUP_AND_RESTORE\",\"mode\":\"OBSERVE\",\"primary\":\"us-east-1\","
                        + "\"timeline\":[]}");

        assertThat(StatusView.group(fresh))
                .isEqualTo(
                        """
                Group new (backup-and-restore, observe mode)
                  primary    us-east-1
                  analysis   none yet: the coordinator has decided no input of this group
                """);
    }

    @Test
    void shouldShowAHeldProposalAndNoVotesAsNone() throws Exception {
        GroupView held = ApiJson.group(
                "{\"group\":\"shop\",\"strategy\":\"WARM_STANDBY\",\"mode\":\"AUTOMATIC\",\"primary\":\"us-east-1\","
                        + "\"epoch\":1,\"analysis\":\"PRIMARY_REGION_DOWN\",\"analysisDescription\":\"down\",\"regions\":{},"
                        + "\"pending\":{\"kind\":\"UNPLANNED\",\"to\":\"us-west-2\",\"heldFor\":\"COOLDOWN_ACTIVE\"},\"vantagePoints\":{},\"lag\":{},"
                        + "\"timeline\":[]}");

        assertThat(StatusView.group(held))
                .contains("  failover   none in progress\n")
                .contains("  pending    UNPLANNED to us-west-2, held: COOLDOWN_ACTIVE\n")
                .contains("  vantage points none\n")
                .contains("  replication lag none\n")
                .contains("  recent decisions none\n");
    }

    @Test
    void shouldNameAVantagePointWhoseObservationsAreRefusedForItsClock() {
        GroupView skewed = ApiJson.group("{\"group\":\"shop\",\"strategy\":\"WARM_STANDBY\",\"mode\":\"AUTOMATIC\","
                + "\"primary\":\"us-east-1\",\"epoch\":0,\"analysis\":\"ALL_HEALTHY\",\"analysisDescription\":\"fine\","
                + "\"regions\":{},\"vantagePoints\":{},\"lag\":{},\"timeline\":[],\"observerClocks\":{"
                + "\"v1\":{\"skewMillis\":40,\"refused\":false,\"at\":\"2026-12-04T10:00:00Z\"},"
                + "\"v3\":{\"skewMillis\":3600000,\"refused\":true,\"at\":\"2026-12-04T10:00:00Z\"}}}");

        assertThat(StatusView.group(skewed))
                .contains("  observer clocks\n    v3  1 h 0 min ahead: its observations are refused\n")
                .doesNotContain("v1  ");
    }
}
