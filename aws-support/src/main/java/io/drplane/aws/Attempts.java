package io.drplane.aws;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AWS attempts one command made. {@link #reported()} is what a command result carries: 1 when no call needed a
 * retry, plus one for every retry of any of its calls.
 */
public final class Attempts {

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();

    void callStarted() {
        calls.incrementAndGet();
    }

    void attempted() {
        attempts.incrementAndGet();
    }

    public int retries() {
        return Math.max(0, attempts.get() - calls.get());
    }

    public int reported() {
        return 1 + retries();
    }
}
