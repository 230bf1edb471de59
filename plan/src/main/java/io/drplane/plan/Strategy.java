package io.drplane.plan;

/** The DR strategies of the AWS disaster-recovery whitepaper; each has its runbook. */
public enum Strategy {
    BACKUP_AND_RESTORE,
    PILOT_LIGHT,
    WARM_STANDBY,
    MULTI_SITE
}
