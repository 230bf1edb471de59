package io.drplane.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type of the contract, defined once: its CloudEvents type name
 * ({@code io.drplane.<domain>.<what>.v1}), its payload record and the topic family it is published on.
 */
public enum EventType {
    HEALTH_OBSERVED("health.observed", HealthObserved.class, TopicFamily.HEALTH),
    REPLICATION_LAG_OBSERVED("replication.lag-observed", ReplicationLagObserved.class, TopicFamily.REPLICATION),
    RPO_BREACHED("rpo.breached", RpoBreached.class, TopicFamily.REPLICATION),
    RPO_RESTORED("rpo.restored", RpoRestored.class, TopicFamily.REPLICATION),
    BACKUP_JOB_STARTED("backup.job-started", BackupJobStarted.class, TopicFamily.BACKUP),
    BACKUP_JOB_COMPLETED("backup.job-completed", BackupJobCompleted.class, TopicFamily.BACKUP),
    BACKUP_JOB_FAILED("backup.job-failed", BackupJobFailed.class, TopicFamily.BACKUP),
    BACKUP_JOB_MISSED("backup.job-missed", BackupJobMissed.class, TopicFamily.BACKUP),
    BACKUP_COPY_COMPLETED("backup.copy-completed", BackupCopyCompleted.class, TopicFamily.BACKUP),
    BACKUP_COPY_FAILED("backup.copy-failed", BackupCopyFailed.class, TopicFamily.BACKUP),
    BACKUP_RESTORE_TESTED("backup.restore-tested", BackupRestoreTested.class, TopicFamily.BACKUP),
    RECOVERY_POINT_EXPIRED("backup.recovery-point-expired", RecoveryPointExpired.class, TopicFamily.BACKUP),
    FAILOVER_APPROVED("operator.failover-approved", FailoverApproved.class, TopicFamily.OPERATOR),
    FAILOVER_ABORT_REQUESTED("operator.failover-abort-requested", FailoverAbortRequested.class, TopicFamily.OPERATOR),
    SWITCHOVER_REQUESTED("operator.switchover-requested", SwitchoverRequested.class, TopicFamily.OPERATOR),
    DRILL_REQUESTED("operator.drill-requested", DrillRequested.class, TopicFamily.OPERATOR),
    COORDINATOR_TICKED("coordinator.ticked", CoordinatorTicked.class, TopicFamily.TICKS),
    BREAKER_TRANSITIONED("breaker.transitioned", BreakerTransitioned.class, TopicFamily.DECISIONS),
    REGION_STATE_CHANGED("region.state-changed", RegionStateChanged.class, TopicFamily.DECISIONS),
    FAILOVER_PROPOSED("failover.proposed", FailoverProposed.class, TopicFamily.DECISIONS),
    FAILOVER_HELD("failover.held", FailoverHeld.class, TopicFamily.DECISIONS),
    FAILOVER_STARTED("failover.started", FailoverStarted.class, TopicFamily.DECISIONS),
    FAILOVER_STEP_COMPLETED("failover.step-completed", FailoverStepCompleted.class, TopicFamily.DECISIONS),
    FAILOVER_COMPLETED("failover.completed", FailoverCompleted.class, TopicFamily.DECISIONS),
    FAILOVER_FAILED("failover.failed", FailoverFailed.class, TopicFamily.DECISIONS),
    FAILOVER_ABORTED("failover.aborted", FailoverAborted.class, TopicFamily.DECISIONS),
    TOPOLOGY_CHANGED("topology.changed", TopologyChanged.class, TopicFamily.TOPOLOGY),
    REPROTECT_HELD("reprotect.held", ReprotectHeld.class, TopicFamily.DECISIONS),
    REPROTECT_STARTED("reprotect.started", ReprotectStarted.class, TopicFamily.DECISIONS),
    REPROTECT_STEP_COMPLETED("reprotect.step-completed", ReprotectStepCompleted.class, TopicFamily.DECISIONS),
    FINAL_SNAPSHOT_TAKEN("reprotect.final-snapshot-taken", FinalSnapshotTaken.class, TopicFamily.DECISIONS),
    GROUP_REPROTECTED("group.reprotected", GroupReprotected.class, TopicFamily.DECISIONS),
    PROMOTE_REPLICA("command.promote-replica", PromoteReplica.class, TopicFamily.COMMANDS),
    FAILOVER_GLOBAL_CLUSTER("command.failover-global-cluster", FailoverGlobalCluster.class, TopicFamily.COMMANDS),
    SET_CAPACITY("command.set-capacity", SetCapacity.class, TopicFamily.COMMANDS),
    SWITCH_DNS("command.switch-dns", SwitchDns.class, TopicFamily.COMMANDS),
    VERIFY("command.verify", Verify.class, TopicFamily.COMMANDS),
    SNAPSHOT_DATABASE("command.snapshot-database", SnapshotDatabase.class, TopicFamily.COMMANDS),
    FENCE_DATABASE("command.fence-database", FenceDatabase.class, TopicFamily.COMMANDS),
    CREATE_REPLICA("command.create-replica", CreateReplica.class, TopicFamily.COMMANDS),
    COMMAND_SUCCEEDED("command.succeeded", CommandSucceeded.class, TopicFamily.COMMAND_RESULTS),
    COMMAND_FAILED("command.failed", CommandFailed.class, TopicFamily.COMMAND_RESULTS),
    COMMAND_REJECTED("command.rejected", CommandRejected.class, TopicFamily.COMMAND_RESULTS),
    NOTIFICATION_DELIVERED("notification.delivered", NotificationDelivered.class, TopicFamily.NOTIFICATIONS),
    NOTIFICATION_FAILED("notification.failed", NotificationFailed.class, TopicFamily.NOTIFICATIONS),
    API_ACCESS_AUDITED("api.access-audited", ApiAccessAudited.class, TopicFamily.AUDIT);

    private static final String PREFIX = "io.drplane.";
    private static final String VERSION_SUFFIX = ".v1";
    private static final Map<String, EventType> BY_TYPE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::dataClass, Function.identity()));

    private final String shortName;
    private final Class<? extends EventData> dataClass;
    private final TopicFamily topicFamily;

    EventType(String shortName, Class<? extends EventData> dataClass, TopicFamily topicFamily) {
        this.shortName = shortName;
        this.dataClass = dataClass;
        this.topicFamily = topicFamily;
    }

    /** The CloudEvents {@code type} attribute, for example {@code io.drplane.health.observed.v1}. */
    @JsonValue
    public String typeName() {
        return PREFIX + shortName + VERSION_SUFFIX;
    }

    /** The name without prefix and version, for example {@code health.observed}. */
    public String shortName() {
        return shortName;
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    public TopicFamily topicFamily() {
        return topicFamily;
    }

    public boolean isCommand() {
        return Command.class.isAssignableFrom(dataClass);
    }

    public static Optional<EventType> fromTypeName(String typeName) {
        return Optional.ofNullable(BY_TYPE_NAME.get(typeName));
    }

    @JsonCreator
    static EventType fromJson(String typeName) {
        return fromTypeName(typeName)
                .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + typeName + "'"));
    }

    public static EventType of(Class<?> dataClass) {
        EventType type = BY_CLASS.get(dataClass);
        if (type == null) {
            throw new IllegalArgumentException(dataClass.getName() + " is not a registered drplane event type");
        }
        return type;
    }
}
