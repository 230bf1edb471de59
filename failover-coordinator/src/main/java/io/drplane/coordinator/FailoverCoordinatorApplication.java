package io.drplane.coordinator;

import io.drplane.runtime.DrplaneService;

/** The deterministic brain: consumes observations and operator events, decides, and commands failovers. */
public final class FailoverCoordinatorApplication {

    public static final String SERVICE = "failover-coordinator";

    private FailoverCoordinatorApplication() {}

    public static void main(String[] args) {
        DrplaneService.run(SERVICE, FailoverCoordinatorApplication.class, args);
    }
}
