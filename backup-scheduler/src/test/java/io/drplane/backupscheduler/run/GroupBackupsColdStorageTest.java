package io.drplane.backupscheduler.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.aws.AwsCallException;
import io.drplane.backupscheduler.BackupPlans;
import io.drplane.backupscheduler.engine.BackupEngine;
import io.drplane.backupscheduler.engine.BackupJob;
import io.drplane.backupscheduler.engine.CopyJob;
import io.drplane.backupscheduler.engine.JobStatus;
import io.drplane.backupscheduler.engine.RecoveryPoint;
import io.drplane.backupscheduler.engine.ResourceArn;
import io.drplane.plan.Group;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sweep moves a point to cold storage once its lifecycle says so, once, and retries a move AWS refused. */
class GroupBackupsColdStorageTest {

    private static final Instant TAKEN = Instant.parse("2026-12-06T05:00:00Z");

    private final Group group = BackupPlans.parse(
            "shop",
            """
            vault: vault-use1
            resources: [ "arn:aws:ec2:us-east-1:123456789012:volume/vol-1" ]
            rules:
              - name: weekly
                schedule: cron(0 5 ? * SUN *)
                startWindow: 60m
                completionWindow: 120m
                rpo: 170h
                lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 365 }
            """);

    /** AWS as far as the sweep sees it: one EBS snapshot of the weekly rule; moves counted, the first refused if asked. */
    private static final class OnePoint implements BackupEngine {
        final List<String> archived = new ArrayList<>();
        boolean refuseFirst;

        @Override
        public boolean archive(RecoveryPoint point) {
            if (refuseFirst) {
                refuseFirst = false;
                throw new AwsCallException("Throttling", "Rate exceeded", "req-1", true, false, null);
            }
            archived.add(point.id());
            return true;
        }

        @Override
        public List<RecoveryPoint> recoveryPoints(String group, Set<String> rules, String region) {
            return List.of(new RecoveryPoint(
                    "snap-1", "us-east-1", ResourceArn.Kind.EBS_VOLUME, group, "weekly", "n", TAKEN, true, null));
        }

        @Override
        public JobStatus startBackup(BackupJob job) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JobStatus backupStatus(BackupJob job, String jobId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JobStatus startCopy(CopyJob copy) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JobStatus copyStatus(CopyJob copy, String jobId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(RecoveryPoint point) {}

        @Override
        public JobStatus startRestore(RecoveryPoint point, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JobStatus restoreStatus(RecoveryPoint point, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteRestored(RecoveryPoint point, String name) {}

        @Override
        public List<RestoredResource> leftoverRestores(String group, String region) {
            return List.of();
        }
    }

    @Test
    void shouldMoveAPointToColdStorageOnceItsLifecycleSaysSo() {
        OnePoint aws = new OnePoint();
        GroupBackups backups = new GroupBackups(group, aws, TAKEN.minusSeconds(3600));

        backups.sweep(TAKEN.plus(Duration.ofDays(29)));
        assertThat(aws.archived).as("29 days old: still warm").isEmpty();

        backups.sweep(TAKEN.plus(Duration.ofDays(30)));
        backups.sweep(TAKEN.plus(Duration.ofDays(31)));
        assertThat(aws.archived).as("moved once, at 30 days").containsExactly("snap-1");
    }

    @Test
    void shouldTryAgainOnTheNextSweepWhenAwsRefusedTheMove() {
        OnePoint aws = new OnePoint();
        aws.refuseFirst = true;
        GroupBackups backups = new GroupBackups(group, aws, TAKEN.minusSeconds(3600));

        backups.sweep(TAKEN.plus(Duration.ofDays(30)));
        assertThat(aws.archived).isEmpty();
        backups.sweep(TAKEN.plus(Duration.ofDays(31)));
        assertThat(aws.archived).containsExactly("snap-1");
    }
}
