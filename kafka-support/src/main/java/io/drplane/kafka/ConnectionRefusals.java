package io.drplane.kafka;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * One clear line for a client the cluster turned away: which cluster, how it was reached, what the broker said, and
 * what to do. A loop that meets one stops and says it on {@code /health}: retrying wrong credentials forever would
 * only hide them.
 */
public final class ConnectionRefusals {

    private ConnectionRefusals() {}

    /** The line for an authentication or authorization failure; empty for any other error. */
    public static Optional<String> describe(RuntimeException e, KafkaClientConfig kafka, String who, String service) {
        if (e instanceof AuthenticationException) {
            return Optional.of(
                    "Kafka at " + kafka.describe() + " refused the " + who + "'s credentials: " + e.getMessage());
        }
        if (e instanceof AuthorizationException) {
            return Optional.of("Kafka at " + kafka.describe() + " refused the " + who + " an operation: "
                    + e.getMessage() + " (apply its ACLs: drplane topics apply --principal " + service + "=User:NAME)");
        }
        return Optional.empty();
    }
}
