package io.drplane.events;

/**
 * The closed set of reasons drplane gives for what it decides and does. A code is stable on the wire;
 * the sentence that goes with it in a {@link Reason} says what happened this time.
 */
public enum ReasonCode {
    // Situations of a group, as classified by the coordinator's analysis table.
    ALL_HEALTHY("every region is up by quorum"),
    PRIMARY_REGION_DOWN("a quorum of fresh vantage points sees the primary region down"),
    PRIMARY_PARTIALLY_UNREACHABLE("some, but not a quorum of, vantage points see the primary down"),
    STANDBY_DOWN("a quorum of fresh vantage points sees the standby region down"),
    BOTH_REGIONS_DOWN("primary and standby are both down by quorum"),
    OBSERVERS_INSUFFICIENT("fewer fresh vantage points than a quorum: nothing automatic happens"),
    PRIMARY_NOT_REPLICATED("no replication link runs out of the current primary now: its data has no replica"),
    REPLICATION_LAG_ABOVE_RPO("replication lag is above the group's RPO"),
    REPROTECTING("after a failover, re-protect is putting a replica of the new primary into the old primary's region"),

    // Breakers and region state.
    BREAKER_FAILURE_RATE("the failure rate over the sliding window crossed the threshold"),
    BREAKER_CONSECUTIVE_FAILURES("consecutive probe failures reached the limit"),
    BREAKER_WAIT_ELAPSED("the open breaker waited long enough to try again"),
    BREAKER_PROBES_SUCCEEDED("enough probes succeeded in half-open state"),
    BREAKER_HALF_OPEN_PROBE_FAILED("a probe failed while half-open"),
    QUORUM_DOWN("a quorum of fresh vantage points sees the region down"),
    QUORUM_UP("a quorum of fresh vantage points sees the region up"),
    QUORUM_PARTIAL("vantage points disagree and neither side has a quorum"),
    QUORUM_LOST("too few vantage points are fresh to decide"),

    // Inputs the coordinator refuses: they never move its clock or its state.
    INPUT_FROM_THE_FUTURE("the input's time is further ahead of the coordinator's clock than the plan's maxClockSkew"),
    INPUT_TOO_OLD("the observation is older than the staleness bound when the coordinator receives it"),
    INPUT_ON_WRONG_TOPIC(
            "the event belongs on another topic than the one it was read from, whose ACL says who may write it"),
    OPERATOR_SIGNATURE_MISSING("an operator event without the signature drplane's API puts on each one"),
    OPERATOR_SIGNATURE_INVALID(
            "an operator event whose signature does not verify with the coordinator's operator keys"),
    COMMAND_SIGNATURE_MISSING("a command without the signature the coordinator puts on each one"),
    COMMAND_SIGNATURE_INVALID("a command whose signature does not verify with the executors' command keys"),

    // Safety rules that hold an automatic failover.
    STANDBY_NOT_HEALTHY("the standby region is not healthy by quorum"),
    TARGET_NOT_REPLICATING("no replication link runs from the current primary into the failover target"),
    REPLICATION_LAG_ABOVE_MAX("replication lag is above maxLagOnFailover"),
    REPLICATION_LAG_STALE("no fresh replication lag observation"),
    FAILOVER_IN_PROGRESS("a failover is already in progress for the group"),
    COOLDOWN_ACTIVE("the anti-flap cooldown since the last failover has not passed"),
    FAILOVER_RATE_LIMITED("the group reached its maximum failovers per window"),
    NO_RECENT_RECOVERY_POINT("no recovery point newer than the RPO exists"),
    APPROVAL_REQUIRED("the group is in approval mode: a person must approve"),
    REPROTECT_IN_PROGRESS(
            "re-protect after the last failover has not finished: nothing replicates into the target yet"),
    OBSERVE_MODE("the group is in observe mode: decisions are recorded, nothing is commanded"),

    // Failover lifecycle.
    FAILOVER_AUTOMATIC("failover started automatically"),
    FAILOVER_APPROVED("failover approved by an operator"),
    SWITCHOVER_REQUESTED("planned switchover requested by an operator"),
    DRILL_REQUESTED("drill requested by an operator"),
    RUNBOOK_STEP("a runbook step issued this command"),
    STEP_SUCCEEDED("a runbook step succeeded"),
    STEP_FAILED("a runbook step failed"),
    STEP_TIMED_OUT("a runbook step did not finish within its timeout"),
    FAILOVER_VERIFIED("the new primary was verified healthy"),
    OPERATOR_ABORTED("an operator aborted the failover"),
    REQUEST_NOT_APPLICABLE(
            "an operator's request does not apply to the group as it is (its target is already primary, or not a region of it)"),

    // Topology and re-protect.
    TOPOLOGY_CHANGED("which region is primary, or which replication links exist, changed"),
    REPROTECT_WAITING_FOR_REGION("re-protect waits for the old primary's region to be up by quorum"),
    REPROTECT_AUTOMATIC("re-protect started automatically: the old primary's region is up by quorum"),
    REPROTECT_APPROVED("re-protect approved by an operator"),
    FINAL_SNAPSHOT_TAKEN("the old primary's data was preserved in a final snapshot before anything is reused"),
    REPROTECT_STEP_FAILED("a re-protect step failed with no retries left: the phase holds until a person acts"),
    REPROTECTED("the new primary replicates into the old primary's region within the RPO again"),

    // Executors.
    EPOCH_STALE("the command's epoch is lower than the highest seen for the group"),
    DUPLICATE_COMMAND("the command was already executed; its first result is reported"),
    WRONG_REGION("the command is for another region"),
    ALREADY_IN_DESIRED_STATE("the target was already in the wanted state"),
    AWS_ERROR("an AWS call failed"),
    DRY_RUN("dry run: nothing was changed"),

    // Backups and RPO.
    RPO_BREACHED("lag or recovery point age exceeds the RPO"),
    RPO_RESTORED("lag or recovery point age is back within the RPO"),
    BACKUP_WINDOW_MISSED("a backup job did not start within its start window"),
    BACKUP_COMPLETION_WINDOW_MISSED("a backup job did not complete within its completion window"),
    RESTORE_TEST_PASSED("a restore test restored and validated a recovery point within the RTO"),
    RESTORE_SLOWER_THAN_RTO("a restore test took longer than the group's RTO"),
    RESTORE_TEST_FAILED("a restore test could not restore or validate a recovery point"),

    // Notifications.
    NOTIFICATION_RETRIES_EXHAUSTED("a notification could not be delivered after every retry"),
    NOTIFICATION_REJECTED("the destination refused a notification for good (a 4xx other than 408 and 429)");

    private final String description;

    ReasonCode(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
