package io.drplane.coordinator.view;

/** The API's answer to a request it refuses: one sentence saying why. */
public record ApiError(String error) {}
