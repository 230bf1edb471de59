package io.drplane.backupscheduler.engine;

/** Where a restored database answers, and which engine it runs ({@code postgres}, {@code aurora-mysql}, ...). */
public record DatabaseEndpoint(String host, int port, String engine) {}
