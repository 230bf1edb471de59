package io.drplane.notifier.delivery;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends with Resilience4j per destination: a rate limiter (Slack allows about one message a second per webhook,
 * PagerDuty about two events a second per key) and a retry with exponential backoff and full jitter that waits what a
 * 429's or 503's {@code Retry-After} asks, retries only what {@link DeliveryException} says is worth it, and gives up
 * when the next wait would pass the total time allowed.
 */
public final class Deliverer {

    /** A send to one destination. */
    @FunctionalInterface
    public interface Send {
        void run() throws DeliveryException;
    }

    /** The end of a delivery: success or the last error, and how many attempts it took. */
    public record Outcome(boolean delivered, int attempts, String error, boolean permanent) {}

    private final Settings settings;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    /**
     * @param maxAttempts  attempts per notification, the first included
     * @param initialBackoff the first wait, doubled each time up to {@code maxBackoff}, with full jitter
     * @param totalTime    no wait is started that would end after this, counted from the first attempt
     */
    public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration totalTime) {
        public static final Settings DEFAULT =
                new Settings(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));
    }

    public Deliverer(Settings settings) {
        this.settings = settings;
    }

    /** Sends through {@code destination}'s limiter ({@code perSecond} sends a second) with retries. */
    public Outcome deliver(String destination, double perSecond, Send send) {
        RateLimiter limiter = limiters.computeIfAbsent(
                destination,
                d -> RateLimiter.of(
                        "notify-" + d.hashCode(),
                        RateLimiterConfig.custom()
                                .limitRefreshPeriod(
                                        Duration.ofMillis(Math.max(1, Math.round(1000 / Math.min(perSecond, 1000)))))
                                .limitForPeriod(1)
                                .timeoutDuration(settings.totalTime())
                                .build()));
        long started = System.nanoTime();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<DeliveryException> last = new AtomicReference<>();
        IntervalBiFunction<Object> wait = (attempt, either) -> {
            Duration backoff = backoff(attempt);
            if (either != null && either.isLeft() && either.getLeft() instanceof DeliveryException failure) {
                backoff = failure.retryAfter().orElse(backoff);
            }
            return backoff.toMillis();
        };
        Retry retry = Retry.of(
                "notify",
                RetryConfig.custom()
                        .maxAttempts(settings.maxAttempts())
                        .intervalBiFunction(wait)
                        .retryOnException(e -> e instanceof DeliveryException failure
                                && !failure.permanent()
                                && withinTotalTime(started, failure, attempts.get()))
                        .failAfterMaxAttempts(false)
                        .build());
        try {
            Retry.decorateCheckedRunnable(retry, () -> {
                        attempts.incrementAndGet();
                        RateLimiter.waitForPermission(limiter);
                        try {
                            send.run();
                        } catch (DeliveryException e) {
                            last.set(e);
                            throw e;
                        }
                    })
                    .run();
            return new Outcome(true, attempts.get(), null, false);
        } catch (DeliveryException e) {
            return new Outcome(false, attempts.get(), e.getMessage(), e.permanent());
        } catch (Throwable e) {
            DeliveryException failure = last.get();
            String error = failure != null ? failure.getMessage() : e.getClass().getSimpleName();
            return new Outcome(false, attempts.get(), error, false);
        }
    }

    private Duration backoff(int attempt) {
        long cap = Math.min(
                settings.maxBackoff().toMillis(),
                settings.initialBackoff().toMillis() << Math.min(20, Math.max(0, attempt - 1)));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    private boolean withinTotalTime(long started, DeliveryException failure, int attempt) {
        Duration next = failure.retryAfter().orElse(settings.initialBackoff());
        Duration spent = Duration.ofNanos(System.nanoTime() - started);
        return spent.plus(next).compareTo(settings.totalTime()) < 0 && attempt < settings.maxAttempts();
    }
}
