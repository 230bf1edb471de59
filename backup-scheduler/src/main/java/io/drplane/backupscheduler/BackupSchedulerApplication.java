package io.drplane.backupscheduler;

import io.drplane.runtime.DrplaneService;

/** Runs backup rules with AWS Backup plan semantics and watches RPO compliance; publishes to dr.backup.v1. */
public final class BackupSchedulerApplication {

    public static final String SERVICE = "backup-scheduler";

    private BackupSchedulerApplication() {}

    public static void main(String[] args) {
        DrplaneService.run(SERVICE, BackupSchedulerApplication.class, args);
    }
}
