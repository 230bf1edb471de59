package io.drplane.events;

import java.net.URI;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One realistic sample of every event type, for schema, codec and broker tests. */
public final class SampleEvents {

    public static final Instant T0 = Instant.parse("2026-11-21T10:15:30.120Z");
    public static final String GROUP = "shop";
    private static final URI SOURCE = Event.sourceOf("test", "sample");
    private static final Reason REASON = Reason.of(
            ReasonCode.PRIMARY_REGION_DOWN,
            "3 of 3 fresh vantage points see us-east-1 down; the standby us-west-2 is up and 420 ms behind.");
    private static final Evidence EVIDENCE =
            new Evidence(List.of("e-1", "e-2"), Map.of("votes.us-east-1.down", "3/3", "lag.orders-db.millis", "420"));

    private SampleEvents() {}

    public static Map<EventType, EventData> all() {
        Map<EventType, EventData> samples = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            samples.put(type, sample(type));
        }
        return samples;
    }

    public static Event<?> event(EventType type) {
        return new Event<>("sample-" + type.shortName(), SOURCE, T0, sample(type));
    }

    public static EventData sample(EventType type) {
        return switch (type) {
            case HEALTH_OBSERVED -> new HealthObserved(
                    GROUP,
                    "us-east-1",
                    "web",
                    "us-east-2a",
                    ProbeSource.HTTPS,
                    ProbeOutcome.TIMEOUT,
                    null,
                    2000,
                    T0,
                    "no first byte within 2s");
            case REPLICATION_LAG_OBSERVED -> new ReplicationLagObserved(
                    GROUP,
                    "orders-db",
                    "us-east-1",
                    "us-west-2",
                    LagStatus.MEASURED,
                    420L,
                    16384L,
                    LagMethod.HEARTBEAT,
                    T0,
                    null);
            case RPO_BREACHED -> new RpoBreached(
                    GROUP,
                    RpoScope.REPLICATION_LINK,
                    "orders-db",
                    60_000,
                    75_000,
                    T0,
                    Reason.of(ReasonCode.RPO_BREACHED, "orders-db is 75 s behind, over the 60 s RPO."));
            case RPO_RESTORED -> new RpoRestored(
                    GROUP,
                    RpoScope.REPLICATION_LINK,
                    "orders-db",
                    60_000,
                    12_000,
                    T0,
                    Reason.of(ReasonCode.RPO_RESTORED, "orders-db is 12 s behind, back within the 60 s RPO."));
            case BACKUP_JOB_STARTED -> new BackupJobStarted(
                    GROUP,
                    "daily",
                    "us-east-1",
                    "job-1",
                    "arn:aws:rds:us-east-1:123456789012:db:shop-db",
                    "shop-vault-use1",
                    T0,
                    T0.plusSeconds(12));
            case BACKUP_JOB_COMPLETED -> new BackupJobCompleted(
                    GROUP,
                    "daily",
                    "us-east-1",
                    "job-1",
                    "arn:aws:backup:us-east-1:123456789012:recovery-point:rp-1",
                    1_073_741_824L,
                    T0,
                    T0.plusSeconds(600));
            case BACKUP_JOB_FAILED -> new BackupJobFailed(
                    GROUP,
                    "daily",
                    "us-east-1",
                    "job-1",
                    "AccessDenied",
                    "the backup role cannot read the snapshot",
                    T0);
            case BACKUP_JOB_MISSED -> new BackupJobMissed(
                    GROUP,
                    "daily",
                    "us-east-1",
                    T0,
                    T0.plusSeconds(3600),
                    Reason.of(ReasonCode.BACKUP_WINDOW_MISSED, "daily did not start within its 60 min start window."));
            case BACKUP_COPY_COMPLETED -> new BackupCopyCompleted(
                    GROUP,
                    "daily",
                    "us-east-1",
                    "us-west-2",
                    "copy-1",
                    "arn:aws:backup:us-west-2:123456789012:recovery-point:rp-2",
                    T0.minusSeconds(600),
                    T0);
            case BACKUP_COPY_FAILED -> new BackupCopyFailed(
                    GROUP,
                    "daily",
                    "us-east-1",
                    "us-west-2",
                    "copy-2",
                    "AccessDenied",
                    "the destination vault's policy refuses the copy",
                    T0);
            case BACKUP_RESTORE_TESTED -> new BackupRestoreTested(
                    GROUP,
                    "daily",
                    "us-west-2",
                    "arn:aws:backup:us-west-2:123456789012:recovery-point:rp-2",
                    1_260_000L,
                    900_000,
                    true,
                    T0,
                    Reason.of(
                            ReasonCode.RESTORE_SLOWER_THAN_RTO,
                            "the restore took 21m, over the 15m RTO; the data validated."));
            case RECOVERY_POINT_EXPIRED -> new RecoveryPointExpired(
                    GROUP, "daily", "us-east-1", "arn:aws:backup:us-east-1:123456789012:recovery-point:rp-0", T0);
            case FAILOVER_APPROVED -> new FailoverApproved(
                    GROUP, "f-1", "alice@example.com", "primary confirmed dead", T0);
            case FAILOVER_ABORT_REQUESTED -> new FailoverAbortRequested(GROUP, "f-1", "alice@example.com", null, T0);
            case SWITCHOVER_REQUESTED -> new SwitchoverRequested(
                    GROUP, "us-west-2", "alice@example.com", "maintenance", T0);
            case DRILL_REQUESTED -> new DrillRequested(
                    GROUP, "us-west-2", "alice@example.com", "quarterly game day", T0);
            case COORDINATOR_TICKED -> new CoordinatorTicked(3, "coordinator-0", T0);
            case BREAKER_TRANSITIONED -> new BreakerTransitioned(
                    GROUP,
                    "us-east-1",
                    "web",
                    "us-east-2a",
                    BreakerState.CLOSED,
                    BreakerState.OPEN,
                    T0,
                    Reason.of(ReasonCode.BREAKER_CONSECUTIVE_FAILURES, "3 consecutive timeouts."));
            case REGION_STATE_CHANGED -> new RegionStateChanged(
                    GROUP,
                    "us-east-1",
                    RegionHealth.UP,
                    RegionHealth.DOWN,
                    3,
                    0,
                    3,
                    2,
                    T0,
                    Reason.of(ReasonCode.QUORUM_DOWN, "3 of 3 fresh vantage points see us-east-1 down."),
                    EVIDENCE);
            case FAILOVER_PROPOSED -> new FailoverProposed(
                    GROUP, "f-1", "us-east-1", "us-west-2", FailoverKind.UNPLANNED, T0, REASON, EVIDENCE);
            case FAILOVER_HELD -> new FailoverHeld(
                    GROUP,
                    "f-1",
                    "us-east-1",
                    "us-west-2",
                    FailoverKind.UNPLANNED,
                    "approve with: drplane approve shop, or wait for the lag to fall under 60 s",
                    T0,
                    Reason.of(
                            ReasonCode.REPLICATION_LAG_ABOVE_MAX,
                            "orders-db is 95 s behind, over maxLagOnFailover 60 s."),
                    EVIDENCE);
            case FAILOVER_STARTED -> new FailoverStarted(
                    GROUP,
                    "f-1",
                    "us-east-1",
                    "us-west-2",
                    FailoverKind.UNPLANNED,
                    7,
                    "warm-standby",
                    T0,
                    Reason.of(ReasonCode.FAILOVER_AUTOMATIC, "primary down by quorum, every safety rule passed."),
                    EVIDENCE);
            case FAILOVER_STEP_COMPLETED -> new FailoverStepCompleted(
                    GROUP,
                    "f-1",
                    7,
                    "promote-replica",
                    "c-1",
                    "us-west-2",
                    41_000,
                    T0,
                    Reason.of(ReasonCode.STEP_SUCCEEDED, "shop-db-replica-usw2 is a standalone primary."));
            case FAILOVER_COMPLETED -> new FailoverCompleted(
                    GROUP,
                    "f-1",
                    7,
                    "us-east-1",
                    "us-west-2",
                    94_000,
                    900_000,
                    420L,
                    60_000,
                    T0,
                    Reason.of(
                            ReasonCode.FAILOVER_VERIFIED,
                            "us-west-2 serves healthy traffic; RTO 94 s of 900 s, RPO 0.4 s of 60 s."),
                    EVIDENCE);
            case FAILOVER_FAILED -> new FailoverFailed(
                    GROUP,
                    "f-1",
                    7,
                    "switch-dns",
                    T0,
                    Reason.of(ReasonCode.STEP_TIMED_OUT, "switch-dns did not finish within 120 s."),
                    EVIDENCE);
            case FAILOVER_ABORTED -> new FailoverAborted(
                    GROUP,
                    "f-1",
                    7,
                    "alice@example.com",
                    T0,
                    Reason.of(ReasonCode.OPERATOR_ABORTED, "alice@example.com aborted the failover."));
            case TOPOLOGY_CHANGED -> new TopologyChanged(
                    GROUP,
                    "us-west-2",
                    List.of(new TopologyLink("orders-db-reversed", "us-west-2", "us-east-1")),
                    8,
                    "shop-r-8",
                    T0,
                    Reason.of(ReasonCode.TOPOLOGY_CHANGED, "us-west-2 now replicates into us-east-1."));
            case REPROTECT_HELD -> new ReprotectHeld(
                    GROUP,
                    "shop-r-7",
                    "f-1",
                    "us-east-1",
                    "us-west-2",
                    "wait for us-east-1 to be up by quorum",
                    T0,
                    Reason.of(ReasonCode.REPROTECT_WAITING_FOR_REGION, "us-east-1 is DOWN by quorum."),
                    EVIDENCE);
            case REPROTECT_STARTED -> new ReprotectStarted(
                    GROUP,
                    "shop-r-7",
                    "f-1",
                    "us-east-1",
                    "us-west-2",
                    8,
                    T0,
                    Reason.of(ReasonCode.REPROTECT_AUTOMATIC, "us-east-1 is up by quorum again."),
                    EVIDENCE);
            case REPROTECT_STEP_COMPLETED -> new ReprotectStepCompleted(
                    GROUP,
                    "shop-r-7",
                    8,
                    "final-snapshot",
                    "c-9",
                    "us-east-1",
                    2_000,
                    Map.of("snapshot", "drplane-shop-final-7"),
                    T0,
                    Reason.of(ReasonCode.STEP_SUCCEEDED, "final-snapshot succeeded in us-east-1."));
            case FINAL_SNAPSHOT_TAKEN -> new FinalSnapshotTaken(
                    GROUP,
                    "shop-r-7",
                    "f-1",
                    "us-east-1",
                    "shop-db",
                    "drplane-shop-final-7",
                    1_200L,
                    T0,
                    Reason.of(ReasonCode.FINAL_SNAPSHOT_TAKEN, "shop-db is kept in drplane-shop-final-7."));
            case GROUP_REPROTECTED -> new GroupReprotected(
                    GROUP,
                    "shop-r-7",
                    "f-1",
                    "us-west-2",
                    "us-east-1",
                    "orders-db-reversed",
                    41_000,
                    0L,
                    T0,
                    Reason.of(ReasonCode.REPROTECTED, "us-west-2 replicates into us-east-1 again."),
                    EVIDENCE);
            case SNAPSHOT_DATABASE -> new SnapshotDatabase(
                    GROUP,
                    "c-9",
                    "shop-r-7",
                    "us-east-1",
                    8,
                    T0,
                    1_800_000,
                    false,
                    DatabaseKind.RDS_INSTANCE,
                    "shop-db",
                    "drplane-shop-final-7",
                    step(),
                    EVIDENCE);
            case FENCE_DATABASE -> new FenceDatabase(
                    GROUP,
                    "c-10",
                    "shop-r-7",
                    "us-east-1",
                    8,
                    T0,
                    600_000,
                    false,
                    DatabaseKind.RDS_INSTANCE,
                    "shop-db",
                    "shop-db-fenced-7",
                    "shop-db-replica-usw2",
                    step(),
                    EVIDENCE);
            case CREATE_REPLICA -> new CreateReplica(
                    GROUP,
                    "c-11",
                    "shop-r-7",
                    "us-east-1",
                    8,
                    T0,
                    3_600_000,
                    false,
                    DatabaseKind.RDS_INSTANCE,
                    "shop-db",
                    "us-west-2",
                    "shop-db-replica-usw2",
                    null,
                    step(),
                    EVIDENCE);
            case PROMOTE_REPLICA -> new PromoteReplica(
                    GROUP,
                    "c-1",
                    "f-1",
                    "us-west-2",
                    7,
                    T0,
                    600_000,
                    false,
                    DatabaseKind.RDS_INSTANCE,
                    "shop-db-replica-usw2",
                    step(),
                    EVIDENCE);
            case FAILOVER_GLOBAL_CLUSTER -> new FailoverGlobalCluster(
                    GROUP,
                    "c-2",
                    "f-1",
                    "us-west-2",
                    7,
                    T0,
                    600_000,
                    false,
                    "shop-global",
                    "arn:aws:rds:us-west-2:123456789012:cluster:shop-usw2",
                    true,
                    step(),
                    EVIDENCE);
            case SET_CAPACITY -> new SetCapacity(
                    GROUP,
                    "c-3",
                    "f-1",
                    "us-west-2",
                    7,
                    T0,
                    300_000,
                    false,
                    "shop-web-usw2",
                    2,
                    4,
                    12,
                    2,
                    null,
                    step(),
                    EVIDENCE);
            case SWITCH_DNS -> new SwitchDns(
                    GROUP,
                    "c-4",
                    "f-1",
                    "us-west-2",
                    7,
                    T0,
                    120_000,
                    false,
                    "Z0123456789SHOPEXAMPLE",
                    List.of(new DnsRecord(
                            "shop.example.com.",
                            "A",
                            "shop-secondary-usw2",
                            "PRIMARY",
                            null,
                            null,
                            null,
                            new AliasTarget(
                                    "Z1H1FL5HABSF5", "shop-usw2-alb-0987654321.us-west-2.elb.amazonaws.com", true))),
                    step(),
                    EVIDENCE);
            case VERIFY -> new Verify(
                    GROUP,
                    "c-5",
                    "f-1",
                    "us-west-2",
                    7,
                    T0,
                    120_000,
                    false,
                    List.of(
                            new VerifyCheck(VerifyKind.DATABASE_WRITABLE, "shop-db-replica-usw2", "available"),
                            new VerifyCheck(
                                    VerifyKind.DNS_POINTS_TO,
                                    "shop.example.com.",
                                    "shop-usw2-alb-0987654321.us-west-2.elb.amazonaws.com")),
                    step(),
                    EVIDENCE);
            case COMMAND_SUCCEEDED -> new CommandSucceeded(
                    GROUP,
                    "c-1",
                    "f-1",
                    "us-west-2",
                    7,
                    EventType.PROMOTE_REPLICA,
                    T0,
                    T0.plusSeconds(41),
                    41_000,
                    1,
                    false,
                    Reason.of(ReasonCode.STEP_SUCCEEDED, "PromoteReadReplica accepted; instance available."),
                    Map.of("dbInstanceStatus", "available"));
            case COMMAND_FAILED -> new CommandFailed(
                    GROUP,
                    "c-4",
                    "f-1",
                    "us-west-2",
                    7,
                    EventType.SWITCH_DNS,
                    T0,
                    T0.plusSeconds(9),
                    9_000,
                    4,
                    "Throttling",
                    "Rate exceeded",
                    "req-123",
                    true,
                    Reason.of(ReasonCode.AWS_ERROR, "ChangeResourceRecordSets was throttled 4 times."));
            case COMMAND_REJECTED -> new CommandRejected(
                    GROUP,
                    "c-9",
                    "f-0",
                    "us-west-2",
                    6,
                    EventType.PROMOTE_REPLICA,
                    7,
                    T0,
                    Reason.of(ReasonCode.EPOCH_STALE, "epoch 6 is lower than 7, the highest seen for shop."));
            case NOTIFICATION_DELIVERED -> new NotificationDelivered(
                    GROUP,
                    NotificationChannel.SLACK,
                    "oncall-slack",
                    "failover/shop",
                    AlertStatus.FIRING,
                    AlertSeverity.WARNING,
                    "e-9",
                    EventType.FAILOVER_STARTED.typeName(),
                    List.of("e-8", "e-9"),
                    1,
                    T0);
            case NOTIFICATION_FAILED -> new NotificationFailed(
                    GROUP,
                    NotificationChannel.PAGERDUTY,
                    "oncall-pager",
                    "failover/shop",
                    AlertStatus.FIRING,
                    AlertSeverity.CRITICAL,
                    "e-9",
                    EventType.FAILOVER_HELD.typeName(),
                    List.of("e-9"),
                    5,
                    "HTTP 503 from events.pagerduty.com",
                    T0,
                    Reason.of(ReasonCode.NOTIFICATION_RETRIES_EXHAUSTED, "5 attempts over 2 minutes all failed."));
            case API_ACCESS_AUDITED -> new ApiAccessAudited(
                    "mallory",
                    "203.0.113.7",
                    "POST",
                    "/groups/shop/switchover",
                    GROUP,
                    401,
                    AuditOutcome.REFUSED_UNAUTHENTICATED,
                    T0);
        };
    }

    private static Reason step() {
        return Reason.of(ReasonCode.RUNBOOK_STEP, "warm-standby runbook step for failover f-1.");
    }
}
