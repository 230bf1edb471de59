package io.drplane.healthmonitor.probe;

import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.plan.HealthTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** TCP connect probes: the target is healthy when a connection is established within the connect timeout. */
public final class TcpProber implements Prober {

    private final Clock clock;
    private final Executor resolver;
    private final ScheduledExecutorService timer;

    public TcpProber(Clock clock, Executor resolver, ScheduledExecutorService timer) {
        this.clock = clock;
        this.resolver = resolver;
        this.timer = timer;
    }

    @Override
    public boolean handles(HealthTarget.Kind kind) {
        return kind == HealthTarget.Kind.TCP;
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget probeTarget) {
        HealthTarget target = probeTarget.target();
        long started = System.nanoTime();
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        resolver.execute(() -> {
            InetSocketAddress address = new InetSocketAddress(target.host(), target.port()); // resolves, may block
            if (address.isUnresolved()) {
                result.complete(failure(new UnknownHostException(target.host()), started));
                return;
            }
            connect(target, address, started, result);
        });
        return result;
    }

    private void connect(
            HealthTarget target, InetSocketAddress address, long started, CompletableFuture<ProbeResult> result) {
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            result.complete(failure(e, started));
            return;
        }
        var deadline = timer.schedule(
                () -> {
                    if (result.complete(failure(
                            new TimeoutException("no connection within "
                                    + target.connectTimeout().toMillis() + " ms"),
                            started))) {
                        close(channel);
                    }
                },
                target.connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void ignored, Void attachment) {
                deadline.cancel(false);
                result.complete(new ProbeResult(
                        ProbeSource.TCP, ProbeOutcome.OK, null, elapsedMillis(started), clock.instant(), null));
                close(channel);
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                deadline.cancel(false);
                result.complete(failure(error, started));
                close(channel);
            }
        });
    }

    private ProbeResult failure(Throwable error, long started) {
        return new ProbeResult(
                ProbeSource.TCP,
                FailureClassifier.classify(error),
                null,
                elapsedMillis(started),
                clock.instant(),
                FailureClassifier.describe(error));
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a probe socket that failed: nothing to report beyond the probe result
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
