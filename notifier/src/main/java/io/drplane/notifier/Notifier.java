package io.drplane.notifier;

import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.notifier.channel.Channels;
import io.drplane.notifier.channel.Links;
import io.drplane.notifier.channel.PagerDutyChannel;
import io.drplane.notifier.delivery.Deliverer;
import io.drplane.notifier.delivery.HttpSender;
import io.drplane.notifier.kafka.NotifierLoop;
import io.drplane.plan.Plan;
import io.drplane.runtime.ServiceIdentity;
import io.drplane.runtime.WorkerHealth;
import io.drplane.runtime.secrets.SecretResolver;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** Wires the plan's routes to their channels and runs the notifier's loop. */
@Context
public class Notifier implements AutoCloseable {

    private final NotifierLoop loop;
    private final Thread thread;
    private final WorkerHealth health;
    private final SecretResolver secrets;
    private final Map<String, SnsClient> sns = new ConcurrentHashMap<>();

    public Notifier(
            Plan plan,
            ServiceIdentity identity,
            KafkaClientConfig kafka,
            DeadLetteringReader reader,
            Clock clock,
            WorkerHealth health,
            MeterRegistry metrics,
            @Nullable @Value("${drplane.aws.endpoint:}") String awsEndpoint,
            @Nullable @Value("${drplane.notifier.api-url:}") String apiUrl,
            @Value("${drplane.notifier.pagerduty-url:https://events.pagerduty.com/v2/enqueue}") URI pagerDutyUrl,
            @Nullable @Value("${drplane.notifier.smtp.host:}") String smtpHost,
            @Value("${drplane.notifier.smtp.port:25}") int smtpPort,
            @Nullable @Value("${drplane.notifier.smtp.username:}") String smtpUser,
            @Nullable @Value("${drplane.notifier.smtp.password:}") String smtpPasswordReference,
            @Value("${drplane.notifier.smtp.starttls:false}") boolean startTls,
            @Value("${drplane.notifier.smtp.from:drplane@localhost}") String mailFrom,
            @Value("${drplane.notifier.max-attempts:6}") int maxAttempts,
            @Value("${drplane.notifier.initial-backoff:500ms}") Duration initialBackoff,
            @Value("${drplane.notifier.total-time:2m}") Duration totalTime,
            @Value("${drplane.notifier.http-timeout:10s}") Duration httpTimeout,
            @Value("${drplane.notifier.workers:8}") int workers) {
        Optional<URI> endpoint = blank(awsEndpoint) ? Optional.empty() : Optional.of(URI.create(awsEndpoint));
        this.secrets = new SecretResolver(System::getenv, endpoint);
        Optional<Session> smtp = blank(smtpHost)
                ? Optional.empty()
                : Optional.of(smtp(
                        smtpHost,
                        smtpPort,
                        smtpUser,
                        blank(smtpPasswordReference) ? null : secrets.resolve(smtpPasswordReference, "us-east-1"),
                        startTls,
                        httpTimeout));
        Channels channels = new Channels(
                plan,
                secrets,
                new HttpSender(httpTimeout),
                new Channels.Settings(
                        pagerDutyUrl == null ? PagerDutyChannel.EVENTS_API : pagerDutyUrl,
                        new Links(blank(apiUrl) ? Optional.empty() : Optional.of(URI.create(apiUrl))),
                        smtp,
                        Optional.of(address(mailFrom)),
                        region -> sns.computeIfAbsent(region, r -> snsClient(r, endpoint))),
                clock);
        this.loop = new NotifierLoop(
                plan,
                kafka,
                identity.getInstance(),
                identity.source(),
                reader,
                channels,
                new Deliverer(new Deliverer.Settings(maxAttempts, initialBackoff, Duration.ofSeconds(30), totalTime)),
                clock,
                workers);
        FunctionCounter.builder("drplane.notifier.notifications", loop, NotifierLoop::deliveredCount)
                .tag("outcome", "delivered")
                .register(metrics);
        FunctionCounter.builder("drplane.notifier.notifications", loop, NotifierLoop::failedCount)
                .tag("outcome", "failed")
                .register(metrics);
        Gauge.builder("drplane.notifier.alerts.firing", loop, NotifierLoop::firingCount)
                .register(metrics);
        this.thread = new Thread(loop, "notifier-loop");
        thread.setDaemon(true);
        thread.start();
        this.health = health;
        health.registerWithReason("notifier-loop", () -> loop.problem()
                .or(() -> thread.isAlive() ? Optional.empty() : Optional.of("the loop's thread has ended")));
    }

    private static Session smtp(
            String host, int port, String user, String password, boolean startTls, Duration timeout) {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
        props.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
        props.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
        props.put("mail.smtp.starttls.enable", Boolean.toString(startTls));
        props.put("mail.smtp.starttls.required", Boolean.toString(startTls));
        if (!blank(user)) {
            props.put("mail.smtp.auth", "true");
            return Session.getInstance(props, new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            });
        }
        return Session.getInstance(props);
    }

    private static SnsClient snsClient(String region, Optional<URI> endpoint) {
        var builder = SnsClient.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create())
                // our Deliverer retries, with backoff and a total time; the SDK's own retries would multiply them
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static InternetAddress address(String text) {
        try {
            return new InternetAddress(text, true);
        } catch (AddressException e) {
            throw new IllegalStateException("drplane.notifier.smtp.from=" + text + " is not an e-mail address");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    public NotifierLoop loop() {
        return loop;
    }

    @PreDestroy
    @Override
    public void close() {
        health.deregister("notifier-loop");
        loop.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sns.values().forEach(SnsClient::close);
        secrets.close();
    }
}
