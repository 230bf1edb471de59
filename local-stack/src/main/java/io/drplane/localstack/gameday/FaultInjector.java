package io.drplane.localstack.gameday;

/**
 * What a game day can break and mend. The local stack's simulated application is one source of faults
 * ({@link SimControl}); another (a chaos tool's API, network namespaces, a staging account) implements the same calls.
 */
public interface FaultInjector {

    /** Puts every fault back and the application in its starting state. */
    void reset();

    /** Lights every region again, leaving other faults as they are. */
    void healRegions();

    /** Darkens a region (every endpoint in it stops answering) or lights it again. */
    void dark(String region, boolean on);

    /** Sets one web instance of a region to a mode: OK, FAILING (5xx) or STOPPED (refuses connections). */
    void instance(String region, int instance, String mode);

    /** Sets every web instance of a region to a mode. */
    void allInstances(String region, String mode);

    /** Cuts one vantage point off from a region (a partition of one observer), or mends it. */
    void cutOff(String region, String vantage, boolean on);

    /** Stops or resumes replaying the primary database's changes to its replica. */
    void replay(boolean on);

    /** Sets a replication link's simulated lag. */
    void lag(String link, double seconds);

    /** Makes AWS throttle every call of the backup scheduler (its retries and start windows run out), or stops. */
    void throttleBackups(boolean on);

    /** The kind of database behind the application ({@code postgresql}, or {@code simulated} when lag is only a number). */
    String databaseKind();
}
