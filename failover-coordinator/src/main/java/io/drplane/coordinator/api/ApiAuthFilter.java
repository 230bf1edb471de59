package io.drplane.coordinator.api;

import io.drplane.coordinator.view.ApiError;
import io.drplane.events.ApiAccessAudited;
import io.drplane.events.AuditOutcome;
import io.drplane.runtime.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request to the API needs a bearer token: {@code read} for the GETs, {@code operate} for a change. A refused
 * request and every change answered are audit events on {@code dr.audit.v1} (who, from where, what, the answer; never
 * the token). {@code /health} and {@code /prometheus} stay open for the orchestrator and the scraper.
 */
@ServerFilter({"/groups", "/groups/**"})
public class ApiAuthFilter {

    /** The request attribute that carries the caller's principal to the controller. */
    public static final String PRINCIPAL = "drplane.principal";

    private static final Logger LOG = LoggerFactory.getLogger(ApiAuthFilter.class);

    private final ApiTokens tokens;
    private final EventPublisher publisher;
    private final Clock clock;
    private final MeterRegistry metrics;

    public ApiAuthFilter(ApiTokens tokens, EventPublisher publisher, Clock clock, MeterRegistry metrics) {
        this.tokens = tokens;
        this.publisher = publisher;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Answers 401 or 403 at once, audited; lets the request through with its principal otherwise. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        Optional<ApiTokens.Principal> principal =
                tokens.principal(request.getHeaders().get("Authorization"));
        if (principal.isEmpty()) {
            audit(request, "anonymous", HttpStatus.UNAUTHORIZED, AuditOutcome.REFUSED_UNAUTHENTICATED);
            return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                    .header("WWW-Authenticate", "Bearer")
                    .body(new ApiError("a bearer token is required (scope read for GETs, operate for changes)"));
        }
        if (isChange(request) && !principal.get().canOperate()) {
            audit(request, principal.get().name(), HttpStatus.FORBIDDEN, AuditOutcome.REFUSED_FORBIDDEN);
            return HttpResponse.status(HttpStatus.FORBIDDEN)
                    .body(new ApiError(principal.get().name() + " may read but not operate"));
        }
        request.setAttribute(PRINCIPAL, principal.get().name());
        return null;
    }

    /** Every change the API answered, whatever the answer, is audited with it. */
    @ResponseFilter
    public void auditChange(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Optional<String> principal = request.getAttribute(PRINCIPAL, String.class);
        if (isChange(request) && principal.isPresent()) {
            audit(request, principal.get(), response.getStatus(), AuditOutcome.CHANGE_ANSWERED);
        }
    }

    private void audit(HttpRequest<?> request, String principal, HttpStatus status, AuditOutcome outcome) {
        ApiAccessAudited audited = new ApiAccessAudited(
                principal,
                request.getRemoteAddress().getAddress().getHostAddress(),
                request.getMethodName(),
                request.getPath(),
                groupOf(request.getPath()),
                status.getCode(),
                outcome,
                clock.instant());
        metrics.counter(
                        "drplane.api.requests.audited",
                        "outcome",
                        outcome.name().toLowerCase())
                .increment();
        LOG.info(
                "api {} {} by {} from {}: {} {}",
                audited.method(),
                audited.path(),
                audited.principal(),
                audited.source(),
                audited.status(),
                outcome);
        publisher.publish(audited).whenComplete((written, error) -> {
            if (error != null) {
                // Never silent: the log line above holds the same, and the counter says the topic lacks it.
                metrics.counter("drplane.api.audit.unwritten").increment();
                LOG.error(
                        "the audit event of {} {} could not be written: {}",
                        audited.method(),
                        audited.path(),
                        error.getMessage());
            }
        });
    }

    private static boolean isChange(HttpRequest<?> request) {
        return request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD;
    }

    /** The group of a path like {@code /groups/shop/approve}; null for {@code /groups}. */
    @Nullable
    static String groupOf(String path) {
        String[] parts = path.split("/");
        return parts.length > 2 && !parts[2].isBlank() ? parts[2] : null;
    }
}
