package io.drplane.healthmonitor;

import io.drplane.runtime.DrplaneService;

/** Probes every region's health targets from one vantage point and publishes each observation to dr.health.v1. */
public final class HealthMonitorApplication {

    public static final String SERVICE = "health-monitor";

    private HealthMonitorApplication() {}

    public static void main(String[] args) {
        DrplaneService.run(SERVICE, HealthMonitorApplication.class, args);
    }
}
