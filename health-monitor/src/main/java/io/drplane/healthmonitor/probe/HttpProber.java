package io.drplane.healthmonitor.probe;

import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.plan.HealthTarget;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * HTTP and HTTPS probes with the JDK's non-blocking client, so a hanging target holds no thread. Semantics follow
 * Route 53 health checks: connect within {@code connectTimeout} (default 4 s), a response within
 * {@code responseTimeout} (default 2 s) after that, a status in the expected range, and the body string (or
 * regex) within the first {@value #BODY_LIMIT} bytes. TLS is verified against the configured trust store;
 * redirects are not followed unless the target asks.
 */
public final class HttpProber implements Prober {

    /** Route 53 searches the first 5,120 bytes of the body for the string. */
    public static final int BODY_LIMIT = 5_120;

    private record ClientKey(Duration connectTimeout, boolean followRedirects) {}

    /** Sent with every probe, so a target's access log (or a test's fault injector) can tell the vantage points apart. */
    public static final String VANTAGE_HEADER = "X-Drplane-Vantage-Point";

    private final String vantagePoint;
    private final Clock clock;
    private final SSLContext sslContext;
    private final Executor executor;
    private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    public HttpProber(String vantagePoint, Clock clock, SSLContext sslContext, Executor executor) {
        this.vantagePoint = vantagePoint;
        this.clock = clock;
        this.sslContext = sslContext;
        this.executor = executor;
    }

    @Override
    public boolean handles(HealthTarget.Kind kind) {
        return kind == HealthTarget.Kind.HTTP || kind == HealthTarget.Kind.HTTPS;
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget probeTarget) {
        HealthTarget target = probeTarget.target();
        ProbeSource source = target.kind() == HealthTarget.Kind.HTTPS ? ProbeSource.HTTPS : ProbeSource.HTTP;
        long started = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
                .timeout(target.connectTimeout().plus(target.responseTimeout()))
                .method(target.method(), HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", "drplane-health-monitor")
                .header(VANTAGE_HEADER, vantagePoint);
        target.headers().forEach(request::header);
        boolean readBody = target.bodyContains() != null || target.bodyRegex() != null;
        CompletableFuture<HttpResponse<String>> response;
        try {
            response = client(target).sendAsync(request.build(), info -> new LimitedBody(readBody ? BODY_LIMIT : 0));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(target, source, e, started));
        }
        return response.handle((r, error) ->
                error != null ? failure(target, source, error, started) : judge(target, source, r, started));
    }

    private ProbeResult judge(HealthTarget target, ProbeSource source, HttpResponse<String> response, long started) {
        long latency = elapsedMillis(started);
        int status = response.statusCode();
        if (status < target.expectStatusFrom() || status > target.expectStatusTo()) {
            return new ProbeResult(
                    source,
                    ProbeOutcome.STATUS,
                    status,
                    latency,
                    clock.instant(),
                    "status " + status + ", expected " + target.expectStatusFrom() + "-" + target.expectStatusTo());
        }
        String body = response.body();
        if (target.bodyContains() != null && !body.contains(target.bodyContains())) {
            return new ProbeResult(
                    source,
                    ProbeOutcome.BODY_MISMATCH,
                    status,
                    latency,
                    clock.instant(),
                    "'" + target.bodyContains() + "' not in the first " + BODY_LIMIT + " bytes of the body");
        }
        if (target.bodyRegex() != null
                && !patterns.computeIfAbsent(target.bodyRegex(), Pattern::compile)
                        .matcher(body)
                        .find()) {
            return new ProbeResult(
                    source,
                    ProbeOutcome.BODY_MISMATCH,
                    status,
                    latency,
                    clock.instant(),
                    "/" + target.bodyRegex() + "/ does not match the first " + BODY_LIMIT + " bytes of the body");
        }
        return new ProbeResult(source, ProbeOutcome.OK, status, latency, clock.instant(), null);
    }

    private ProbeResult failure(HealthTarget target, ProbeSource source, Throwable error, long started) {
        ProbeOutcome outcome = FailureClassifier.classify(error);
        String detail = outcome == ProbeOutcome.DNS
                ? "cannot resolve " + target.url().getHost()
                : FailureClassifier.describe(error);
        return new ProbeResult(source, outcome, null, elapsedMillis(started), clock.instant(), detail);
    }

    private HttpClient client(HealthTarget target) {
        return clients.computeIfAbsent(
                new ClientKey(target.connectTimeout(), target.followRedirects()), key -> HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(key.connectTimeout())
                        .followRedirects(key.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                        .sslContext(sslContext)
                        .executor(executor)
                        .build());
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Keeps the first {@code limit} bytes of the body and cancels the rest of the download. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<String> {
        private final int limit;
        private final ByteBuffer kept;
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
            this.kept = ByteBuffer.allocate(limit);
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(kept.remaining(), buffer.remaining());
                if (take > 0) {
                    ByteBuffer slice = buffer.slice();
                    slice.limit(take);
                    kept.put(slice);
                }
            }
            if (!kept.hasRemaining() && !result.isDone()) {
                complete();
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (!result.isDone()) {
                result.completeExceptionally(throwable);
            }
        }

        @Override
        public void onComplete() {
            if (!result.isDone()) {
                complete();
            }
        }

        private void complete() {
            result.complete(new String(kept.array(), 0, kept.position(), StandardCharsets.UTF_8));
        }
    }
}
