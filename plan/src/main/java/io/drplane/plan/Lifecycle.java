package io.drplane.plan;

import jakarta.annotation.Nullable;

/** When recovery points move to cold storage and when they are deleted, in days after creation. */
public record Lifecycle(@Nullable Integer moveToColdStorageAfterDays, @Nullable Integer deleteAfterDays) {}
