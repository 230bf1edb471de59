package io.drplane.replicationtracker;

import io.drplane.runtime.DrplaneService;

/** Measures replication lag per link and publishes it to dr.replication.v1. */
public final class ReplicationTrackerApplication {

    public static final String SERVICE = "replication-tracker";

    private ReplicationTrackerApplication() {}

    public static void main(String[] args) {
        DrplaneService.run(SERVICE, ReplicationTrackerApplication.class, args);
    }
}
