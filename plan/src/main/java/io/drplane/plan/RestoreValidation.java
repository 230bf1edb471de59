package io.drplane.plan;

/**
 * How a restore test checks the data it restored, beyond "the resource is available": a read-only SQL query against
 * the restored database whose first value must be at least {@code minimum} (rows in a table that must not be empty,
 * the newest order within a day, ...). {@code username} and {@code password} are secret references, never values.
 */
public record RestoreValidation(String sql, String database, long minimum, String username, String password) {}
