package io.drplane.aws;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every AWS call of the executor goes through here: retry with exponential backoff and jitter (only what
 * {@link AwsErrors#retryable} allows), then a circuit breaker per service, a rate limiter per service and a time
 * limit per attempt. A call that fails for good becomes an {@link AwsCallException}; nothing is swallowed.
 */
public final class AwsCalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AwsCalls.class);

    private final String region;
    private final Retry retry;
    private final TimeLimiter timeLimiter;
    private final Map<AwsService, CircuitBreaker> breakers = new EnumMap<>(AwsService.class);
    private final Map<AwsService, RateLimiter> rateLimiters = new EnumMap<>(AwsService.class);
    private final ExecutorService attemptsPool;

    public AwsCalls(String region, ResilienceSettings settings) {
        this.region = region;
        this.retry = Retry.of(
                "aws-" + region,
                RetryConfig.custom()
                        .maxAttempts(settings.maxAttempts())
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                settings.initialBackoff(),
                                settings.backoffMultiplier(),
                                settings.jitter(),
                                settings.maxBackoff()))
                        .retryOnException(AwsErrors::retryable)
                        .failAfterMaxAttempts(false)
                        .build());
        this.timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(settings.callTimeout())
                .cancelRunningFuture(true)
                .build());
        for (AwsService service : AwsService.values()) {
            breakers.put(
                    service,
                    CircuitBreaker.of(
                            service.iamPrefix() + "-" + region,
                            CircuitBreakerConfig.custom()
                                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                                    .slidingWindowSize(settings.slidingWindowCalls())
                                    .minimumNumberOfCalls(settings.minimumCalls())
                                    .failureRateThreshold(settings.failureRateThreshold())
                                    .waitDurationInOpenState(settings.openStateWait())
                                    // Only failures that say something about the service's health open the circuit: a
                                    // validation
                                    // error or access denied is the caller's problem and would otherwise hide a real
                                    // outage.
                                    .recordException(AwsErrors::retryable)
                                    .build()));
            rateLimiters.put(
                    service,
                    RateLimiter.of(
                            service.iamPrefix() + "-" + region,
                            RateLimiterConfig.custom()
                                    .limitForPeriod(settings.callsPerSecond())
                                    .limitRefreshPeriod(Duration.ofSeconds(1))
                                    .timeoutDuration(settings.rateLimitWait())
                                    .build()));
        }
        this.attemptsPool = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "aws-call-" + region);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code call} ({@code operation} names it in logs and errors) with every guard; counts into {@code attempts}. */
    public <T> T call(AwsService service, String operation, Attempts attempts, Supplier<T> call) {
        attempts.callStarted();
        Supplier<T> timed = () -> {
            attempts.attempted();
            try {
                return timeLimiter.executeFutureSupplier(() -> CompletableFuture.supplyAsync(call, attemptsPool));
            } catch (TimeoutException e) {
                throw new CallTimedOutException(operation + " in " + region + " did not answer within "
                        + timeLimiter
                                .getTimeLimiterConfig()
                                .getTimeoutDuration()
                                .toMillis() + " ms");
            } catch (ExecutionException | CompletionException e) {
                throw rethrow(e.getCause());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw rethrow(e);
            }
        };
        Supplier<T> guarded = CircuitBreaker.decorateSupplier(
                breakers.get(service), RateLimiter.decorateSupplier(rateLimiters.get(service), timed));
        try {
            return Retry.decorateSupplier(retry, guarded).get();
        } catch (RuntimeException e) {
            AwsCallException failure = AwsErrors.describe(e);
            if (AwsErrors.notFound(failure)) {
                // a lookup that found nothing: the caller's answer, not a failure worth a warning
                LOG.debug("{} in {}: {} {}", operation, region, failure.errorCode(), failure.getMessage());
            } else {
                LOG.warn(
                        "{} in {} failed for good after {} attempt(s): {} {}",
                        operation,
                        region,
                        attempts.reported(),
                        failure.errorCode(),
                        failure.getMessage());
            }
            throw failure;
        }
    }

    public CircuitBreaker.State circuit(AwsService service) {
        return breakers.get(service).getState();
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof CompletionException || cause instanceof ExecutionException) {
            return rethrow(cause.getCause());
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    @Override
    public void close() {
        attemptsPool.shutdownNow();
    }
}
