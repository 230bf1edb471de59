package io.drplane.testsupport;

import java.util.Locale;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Which real infrastructure tests run against. The default is in-process: a KRaft broker in the test JVM and
 * moto as a child process. {@code KAFKA_BOOTSTRAP_SERVERS} points the tests at an existing broker;
 * {@code DRPLANE_TEST_INFRA=containers} (or {@code -Ddrplane.test.infra=containers}) starts Kafka and moto
 * with Testcontainers. The same tests run on every path.
 */
public enum TestInfrastructure {
    IN_PROCESS,
    CONTAINERS;

    public static final String SELECTOR_PROPERTY = "drplane.test.infra";
    public static final String SELECTOR_ENV = "DRPLANE_TEST_INFRA";

    public static TestInfrastructure selected() {
        return parse(Optional.ofNullable(System.getProperty(SELECTOR_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(SELECTOR_ENV)))
                .orElse("in-process"));
    }

    static TestInfrastructure parse(String selector) {
        String value = selector.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "in-process", "inprocess", "local" -> IN_PROCESS;
            case "containers", "testcontainers", "docker" -> CONTAINERS;
            default -> throw new IllegalArgumentException(
                    SELECTOR_ENV + "='" + value + "' is not one of: in-process (default), containers");
        };
    }

    /** Testcontainers needs a Docker engine; say so plainly instead of failing deep inside a test. */
    static void requireDocker() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException(
                    SELECTOR_ENV + "=containers was asked for, but no Docker engine answers here. "
                            + "Unset it to run the same tests against an in-process Kafka broker and a moto child process.");
        }
    }
}
