package io.drplane.runtime;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The service's own worker threads in {@code /health}: a service whose loop has died is DOWN (and its orchestrator
 * restarts it), never a process that answers UP while doing nothing.
 */
@Singleton
public class WorkerHealth extends AbstractHealthIndicator<Map<String, String>> {

    private final Map<String, BooleanSupplier> workers = new ConcurrentHashMap<>();

    /** {@code alive} says whether the worker still runs; a worker that stops on purpose (at shutdown) deregisters. */
    public void register(String name, BooleanSupplier alive) {
        workers.put(name, alive);
    }

    public void deregister(String name) {
        workers.remove(name);
    }

    @Override
    protected Map<String, String> getHealthInformation() {
        Map<String, String> states = new TreeMap<>();
        boolean allAlive = true;
        for (Map.Entry<String, BooleanSupplier> worker : workers.entrySet()) {
            boolean alive = worker.getValue().getAsBoolean();
            states.put(worker.getKey(), alive ? "running" : "stopped");
            allAlive &= alive;
        }
        healthStatus = allAlive ? HealthStatus.UP : HealthStatus.DOWN;
        return states;
    }

    @Override
    protected String getName() {
        return "workers";
    }
}
