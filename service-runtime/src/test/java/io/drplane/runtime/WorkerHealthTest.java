package io.drplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.health.HealthStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class WorkerHealthTest {

    @Test
    void shouldBeDownWithTheReasonAWorkerGives() {
        WorkerHealth health = new WorkerHealth();
        health.setExecutorService(Executors.newSingleThreadExecutor());
        AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
        health.register("plain", () -> true);
        health.registerWithReason("loop", problem::get);

        assertThat(status(health)).isEqualTo(HealthStatus.UP);
        assertThat(details(health)).containsEntry("loop", "running").containsEntry("plain", "running");

        problem.set(Optional.of("fenced off: another instance took over"));

        assertThat(status(health)).isEqualTo(HealthStatus.DOWN);
        assertThat(details(health)).containsEntry("loop", "DOWN: fenced off: another instance took over");
    }

    private static HealthStatus status(WorkerHealth health) {
        return Flux.from(health.getResult()).blockFirst().getStatus();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> details(WorkerHealth health) {
        return (Map<String, String>) Flux.from(health.getResult()).blockFirst().getDetails();
    }
}
