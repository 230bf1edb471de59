package io.drplane.runtime;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The service's own worker threads in {@code /health}: a service whose loop has died is DOWN (and its orchestrator
 * restarts it), never a process that answers UP while doing nothing.
 */
@Singleton
public class WorkerHealth extends AbstractHealthIndicator<Map<String, String>> {

    private final Map<String, Supplier<Optional<String>>> workers = new ConcurrentHashMap<>();

    /** {@code alive} says whether the worker still runs; a worker that stops on purpose (at shutdown) deregisters. */
    public void register(String name, BooleanSupplier alive) {
        workers.put(name, () -> alive.getAsBoolean() ? Optional.empty() : Optional.of("stopped"));
    }

    /**
     * A worker that can say what is wrong with it: {@code problem} is empty while it does its job, and otherwise the
     * one-line reason {@code /health} reports as DOWN.
     */
    public void registerWithReason(String name, Supplier<Optional<String>> problem) {
        workers.put(name, problem);
    }

    public void deregister(String name) {
        workers.remove(name);
    }

    @Override
    protected Map<String, String> getHealthInformation() {
        Map<String, String> states = new TreeMap<>();
        boolean allAlive = true;
        for (Map.Entry<String, Supplier<Optional<String>>> worker : workers.entrySet()) {
            Optional<String> problem = worker.getValue().get();
            states.put(worker.getKey(), problem.map(p -> "DOWN: " + p).orElse("running"));
            allAlive &= problem.isEmpty();
        }
        healthStatus = allAlive ? HealthStatus.UP : HealthStatus.DOWN;
        return states;
    }

    @Override
    protected String getName() {
        return "workers";
    }
}
