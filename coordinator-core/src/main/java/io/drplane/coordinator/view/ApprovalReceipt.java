package io.drplane.coordinator.view;

/**
 * The API's answer to an approval it wrote: the failover approved, the refusal it was approved past, who approved it,
 * and until when the approval holds.
 */
public record ApprovalReceipt(
        String failoverId, String approvedPast, String principal, String expiresAt, String eventId) {}
