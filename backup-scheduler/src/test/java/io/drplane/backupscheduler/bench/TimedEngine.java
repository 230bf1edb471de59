package io.drplane.backupscheduler.bench;

import io.drplane.backupscheduler.engine.BackupEngine;
import io.drplane.backupscheduler.engine.BackupJob;
import io.drplane.backupscheduler.engine.CopyJob;
import io.drplane.backupscheduler.engine.JobStatus;
import io.drplane.backupscheduler.engine.RecoveryPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An engine that answers every call after a fixed latency, as AWS answers in tens of milliseconds, and keeps its
 * points in memory. For the scale figure only: moto answers a filtered DescribeSnapshots in about 235 ms with 200
 * snapshots in a region and scans them all, so at 10,000 points it measures itself, not the scheduler. The start is
 * idempotent by name, as the real engines' are, and every point made is counted.
 */
final class TimedEngine implements BackupEngine {

    private final Duration latency;
    private final Map<String, RecoveryPoint> points = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    TimedEngine(Duration latency) {
        this.latency = latency;
    }

    long pointsMade() {
        return points.size();
    }

    long calls() {
        return calls.get();
    }

    @Override
    public JobStatus startBackup(BackupJob job) {
        answerLater();
        RecoveryPoint point = points.computeIfAbsent(
                job.name(),
                name -> new RecoveryPoint(
                        name,
                        job.region(),
                        job.resource().kind(),
                        job.group(),
                        job.rule(),
                        name,
                        Instant.now(),
                        true,
                        null));
        return JobStatus.running(point.id(), point.id());
    }

    @Override
    public JobStatus backupStatus(BackupJob job, String jobId) {
        answerLater();
        RecoveryPoint point = points.get(jobId);
        return point == null
                ? JobStatus.failed(jobId, "SnapshotGone", jobId + " is gone")
                : JobStatus.completed(jobId, point.id(), point.dataTime(), 0L);
    }

    @Override
    public JobStatus startCopy(CopyJob copy) {
        return JobStatus.failed(copy.name(), "NotInThisBenchmark", "the benchmark's rules copy nothing");
    }

    @Override
    public JobStatus copyStatus(CopyJob copy, String jobId) {
        return startCopy(copy);
    }

    @Override
    public List<RecoveryPoint> recoveryPoints(String group, Set<String> rules, String region) {
        answerLater();
        return points.values().stream()
                .filter(p -> p.group().equals(group) && p.region().equals(region))
                .toList();
    }

    @Override
    public void delete(RecoveryPoint point) {
        answerLater();
        points.remove(point.id());
    }

    @Override
    public JobStatus startRestore(RecoveryPoint point, String name) {
        return JobStatus.failed(name, "NotInThisBenchmark", "the benchmark runs no restore tests");
    }

    @Override
    public JobStatus restoreStatus(RecoveryPoint point, String name) {
        return startRestore(point, name);
    }

    @Override
    public void deleteRestored(RecoveryPoint point, String name) {}

    @Override
    public List<RestoredResource> leftoverRestores(String group, String region) {
        return List.of();
    }

    private void answerLater() {
        calls.incrementAndGet();
        LockSupport.parkNanos(latency.toNanos());
    }
}
