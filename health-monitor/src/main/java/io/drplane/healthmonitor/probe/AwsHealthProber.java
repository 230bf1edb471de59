package io.drplane.healthmonitor.probe;

import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.plan.HealthTarget;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;

/**
 * Health signals AWS already has, turned into the same observation our own probes make, with their source named:
 * a Route 53 health check (healthy when more than 18% of its checkers say so, as Route 53 decides), a CloudWatch
 * alarm (OK is healthy; ALARM and INSUFFICIENT_DATA are not), and ELB target health (healthy while any target is).
 * The SDK calls block, so they run on their own bounded executor with an API call timeout.
 */
public final class AwsHealthProber implements Prober {

    /** Route 53 considers an endpoint healthy when more than 18% of its health checkers report it healthy. */
    static final double ROUTE53_HEALTHY_FRACTION = 0.18;

    private final AwsClients clients;
    private final Clock clock;
    private final Executor executor;

    public AwsHealthProber(AwsClients clients, Clock clock, Executor executor) {
        this.clients = clients;
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public boolean handles(HealthTarget.Kind kind) {
        return kind == HealthTarget.Kind.ROUTE53_HEALTH_CHECK
                || kind == HealthTarget.Kind.CLOUDWATCH_ALARM
                || kind == HealthTarget.Kind.ELB_TARGET_HEALTH;
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget probeTarget) {
        HealthTarget target = probeTarget.target();
        ProbeSource source =
                switch (target.kind()) {
                    case ROUTE53_HEALTH_CHECK -> ProbeSource.ROUTE53_HEALTH_CHECK;
                    case CLOUDWATCH_ALARM -> ProbeSource.CLOUDWATCH_ALARM;
                    default -> ProbeSource.ELB_TARGET_HEALTH;
                };
        return CompletableFuture.supplyAsync(
                () -> {
                    long started = System.nanoTime();
                    try {
                        return switch (target.kind()) {
                            case ROUTE53_HEALTH_CHECK -> route53(target, started);
                            case CLOUDWATCH_ALARM -> alarm(probeTarget.region(), target, started);
                            default -> targetHealth(probeTarget.region(), target, started);
                        };
                    } catch (RuntimeException e) {
                        return new ProbeResult(
                                source,
                                FailureClassifier.classify(e),
                                null,
                                elapsed(started),
                                clock.instant(),
                                FailureClassifier.describe(e));
                    }
                },
                executor);
    }

    private ProbeResult route53(HealthTarget target, long started) {
        List<HealthCheckObservation> observations = clients.route53()
                .getHealthCheckStatus(r -> r.healthCheckId(target.healthCheckId()))
                .healthCheckObservations();
        long healthy = observations.stream()
                .filter(o -> o.statusReport() != null
                        && o.statusReport().status() != null
                        && o.statusReport().status().startsWith("Success"))
                .count();
        String detail = healthy + " of " + observations.size() + " Route 53 checkers report healthy";
        boolean ok = !observations.isEmpty() && healthy > ROUTE53_HEALTHY_FRACTION * observations.size();
        return new ProbeResult(
                ProbeSource.ROUTE53_HEALTH_CHECK,
                ok ? ProbeOutcome.OK : ProbeOutcome.STATUS,
                null,
                elapsed(started),
                clock.instant(),
                detail);
    }

    private ProbeResult alarm(String region, HealthTarget target, long started) {
        DescribeAlarmsResponse response =
                clients.cloudWatch(region).describeAlarms(r -> r.alarmNames(target.alarmName()));
        if (response.metricAlarms().isEmpty()) {
            return new ProbeResult(
                    ProbeSource.CLOUDWATCH_ALARM,
                    ProbeOutcome.ERROR,
                    null,
                    elapsed(started),
                    clock.instant(),
                    "no CloudWatch alarm named " + target.alarmName() + " in " + region);
        }
        MetricAlarm alarm = response.metricAlarms().get(0);
        String state = alarm.stateValueAsString();
        ProbeOutcome outcome = "OK".equals(state) ? ProbeOutcome.OK : ProbeOutcome.STATUS;
        return new ProbeResult(
                ProbeSource.CLOUDWATCH_ALARM,
                outcome,
                null,
                elapsed(started),
                clock.instant(),
                "alarm " + alarm.alarmName() + " is " + state
                        + (alarm.stateReason() == null ? "" : ": " + alarm.stateReason()));
    }

    private ProbeResult targetHealth(String region, HealthTarget target, long started) {
        List<TargetHealthDescription> targets = clients.elb(region)
                .describeTargetHealth(r -> r.targetGroupArn(target.targetGroupArn()))
                .targetHealthDescriptions();
        long healthy = targets.stream()
                .filter(t -> t.targetHealth() != null && t.targetHealth().state() == TargetHealthStateEnum.HEALTHY)
                .count();
        return new ProbeResult(
                ProbeSource.ELB_TARGET_HEALTH,
                healthy > 0 ? ProbeOutcome.OK : ProbeOutcome.STATUS,
                null,
                elapsed(started),
                clock.instant(),
                healthy + " of " + targets.size() + " targets healthy");
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
