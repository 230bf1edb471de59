package io.drplane.executor;

import io.drplane.runtime.DrplaneService;

/** Carries out one region's commands with the AWS SDK and reports their results. */
public final class RegionExecutorApplication {

    public static final String SERVICE = "region-executor";

    private RegionExecutorApplication() {}

    public static void main(String[] args) {
        DrplaneService.run(SERVICE, RegionExecutorApplication.class, args);
    }
}
