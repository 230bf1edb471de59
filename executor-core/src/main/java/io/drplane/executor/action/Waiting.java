package io.drplane.executor.action;

import io.drplane.aws.AwsCallException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;

/**
 * Waits for an end state with the SDK's waiter framework, each poll being a guarded AWS call, bounded by the
 * command's remaining time. Running out of time is a retryable failure named {@code WaitTimeExceeded}.
 */
final class Waiting {

    private final Duration pollInterval;

    Waiting(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    <T> T until(Class<T> type, String what, CommandContext context, Supplier<T> poll, Predicate<T> done) {
        Duration budget = context.remaining();
        Waiter<T> waiter = Waiter.builder(type)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(done))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(r -> true))
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .maxAttempts(Integer.MAX_VALUE)
                        .waitTimeout(budget)
                        .backoffStrategy(FixedDelayBackoffStrategy.create(pollInterval))
                        .build())
                .build();
        try {
            return waiter.run(poll).matched().response().orElseThrow();
        } catch (SdkClientException e) {
            if (e.getCause() instanceof AwsCallException failed) {
                throw failed;
            }
            throw new AwsCallException(
                    "WaitTimeExceeded",
                    what + " did not happen within " + budget.toMillis() + " ms",
                    null,
                    true,
                    true,
                    e);
        }
    }
}
