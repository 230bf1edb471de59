package io.drplane.healthmonitor;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings of one health monitor ({@code drplane.health.*}, or {@code DRPLANE_HEALTH_*} in the environment).
 */
@ConfigurationProperties("drplane.health")
public class HealthMonitorConfig {

    /** Probes running at once, at most; a probe past this is skipped and counted. */
    private int maxInFlight = 1024;
    /** Observations kept while Kafka is unreachable; past this the oldest are dropped and counted. */
    private int bufferCapacity = 20_000;
    /** Records with the producer not yet acknowledged, at most. */
    private int maxUnacknowledged = 2_000;
    /** Threads for blocking work: DNS lookups of TCP targets and AWS SDK calls. */
    private int blockingThreads = 8;
    /** A trust store (PKCS12 or JKS) for HTTPS targets; the JDK's default trust when unset. */
    private String trustStore;

    private String trustStorePassword = "";
    private String trustStoreType = "PKCS12";

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public int getBufferCapacity() {
        return bufferCapacity;
    }

    public void setBufferCapacity(int bufferCapacity) {
        this.bufferCapacity = bufferCapacity;
    }

    public int getMaxUnacknowledged() {
        return maxUnacknowledged;
    }

    public void setMaxUnacknowledged(int maxUnacknowledged) {
        this.maxUnacknowledged = maxUnacknowledged;
    }

    public int getBlockingThreads() {
        return blockingThreads;
    }

    public void setBlockingThreads(int blockingThreads) {
        this.blockingThreads = blockingThreads;
    }

    public String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    public String getTrustStoreType() {
        return trustStoreType;
    }

    public void setTrustStoreType(String trustStoreType) {
        this.trustStoreType = trustStoreType;
    }
}
