package io.drplane.coordinator.view;

/** The API's answer to an accepted operator request: what was written to the operator topic, for whom. */
public record OperatorReceipt(String accepted, String eventId, String principal) {}
