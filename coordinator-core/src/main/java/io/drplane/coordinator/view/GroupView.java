package io.drplane.coordinator.view;

import java.util.List;
import java.util.Map;

/**
 * A group as the coordinator's HTTP API shows it ({@code GET /groups} lists these without the detail fields, {@code GET
 * /groups/{id}} fills them in). Shared by the API and its clients (the CLI, the local stack), so no client parses a
 * display string. Fields the coordinator does not know yet are null.
 *
 * @param regions       each region's health by quorum
 * @param vantagePoints detail only: per {@code region|vantage point}, its last report and breakers
 * @param lag           detail only: per replication link, the last measurement
 * @param timeline      detail only: the latest decisions, oldest first
 * @param observerClocks detail only: per vantage point, how far its clock is from the coordinator's, and whether
 *                       its observations are refused for it
 * @param recoveryPoints detail only: per region, when the data of the newest recovery point there was taken (a
 *                       backup taken there, or a copy made to it): what a restore there would get back
 * @param links          the live topology: the replication links that exist now (with the primary, where data flows)
 * @param reprotect      re-protect after the last failover, while it is needed
 * @param home           the plan's primary region, where {@code drplane failback} goes
 */
public record GroupView(
        String group,
        String strategy,
        String mode,
        String primary,
        Long epoch,
        String analysis,
        String analysisDescription,
        Map<String, String> regions,
        FailoverView failover,
        PendingView pending,
        Map<String, VantageView> vantagePoints,
        Map<String, LinkLag> lag,
        List<DecisionView> timeline,
        Map<String, ObserverClock> observerClocks,
        Map<String, String> recoveryPoints,
        List<LinkView> links,
        ReprotectView reprotect,
        String home) {

    /** The latest decision, if any. */
    public DecisionView lastDecision() {
        return timeline == null || timeline.isEmpty() ? null : timeline.get(timeline.size() - 1);
    }

    /** A failover in progress: its runbook's steps in order. */
    public record FailoverView(String id, String kind, String from, String to, long epoch, List<StepView> steps) {}

    public record StepView(String name, String status, int attempt) {}

    /** A replication link that exists now. */
    public record LinkView(String name, String from, String to) {}

    /**
     * Re-protect after a failover: {@code status} is WAITING (for the old region, approval, or a person after a failed
     * step: {@code heldFor} says which) or RUNNING.
     */
    public record ReprotectView(
            String id,
            String failoverId,
            String primary,
            String replicaRegion,
            String status,
            String heldFor,
            Long epoch,
            List<StepView> steps) {}

    /** A failover proposed and not started: held for a reason, or waiting for approval. */
    public record PendingView(String failoverId, String kind, String to, String heldFor, boolean approved) {}

    /** One vantage point's view of one region: when it last reported and each target's breaker. */
    public record VantageView(String lastSeen, List<String> breakers) {}

    /**
     * A vantage point's clock as the coordinator sees it: its last observation's time minus the coordinator's clock
     * when it arrived (positive: ahead), and whether that observation was refused for it.
     */
    public record ObserverClock(long skewMillis, boolean refused, String at) {}

    /** A replication link's last measurement. */
    public record LinkLag(String status, Long lagMillis, String observedAt) {}

    /** One decision: when, what, and its reason (code and sentence). */
    public record DecisionView(String time, String type, String reasonCode, String reason) {
        @Override
        public String toString() {
            return time + " " + type + (reasonCode == null ? "" : " " + reasonCode + ": " + reason);
        }
    }
}
