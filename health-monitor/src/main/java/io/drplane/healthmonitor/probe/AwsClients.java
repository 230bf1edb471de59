package io.drplane.healthmonitor.probe;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * AWS SDK clients for the AWS-native health sources, one per service and region, sharing one HTTP client.
 * Credentials come from the SDK's default chain; an endpoint override points every client at an emulator.
 */
public final class AwsClients implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Optional<URI> endpoint;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(CALL_TIMEOUT)
            .build();
    private final Map<String, CloudWatchClient> cloudWatch = new ConcurrentHashMap<>();
    private final Map<String, ElasticLoadBalancingV2Client> elb = new ConcurrentHashMap<>();
    private volatile Route53Client route53;

    public AwsClients(Optional<URI> endpoint) {
        this.endpoint = endpoint;
    }

    public Route53Client route53() {
        Route53Client client = route53;
        if (client == null) {
            synchronized (this) {
                if (route53 == null) {
                    var builder = Route53Client.builder()
                            .region(Region.AWS_GLOBAL)
                            .httpClient(http)
                            .overrideConfiguration(timeouts());
                    endpoint.ifPresent(builder::endpointOverride);
                    route53 = builder.build();
                }
                client = route53;
            }
        }
        return client;
    }

    public CloudWatchClient cloudWatch(String region) {
        return cloudWatch.computeIfAbsent(region, r -> {
            var builder = CloudWatchClient.builder()
                    .region(Region.of(r))
                    .httpClient(http)
                    .overrideConfiguration(timeouts());
            endpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    public ElasticLoadBalancingV2Client elb(String region) {
        return elb.computeIfAbsent(region, r -> {
            var builder = ElasticLoadBalancingV2Client.builder()
                    .region(Region.of(r))
                    .httpClient(http)
                    .overrideConfiguration(timeouts());
            endpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    private static ClientOverrideConfiguration timeouts() {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(CALL_TIMEOUT)
                .apiCallAttemptTimeout(CALL_TIMEOUT)
                .build();
    }

    @Override
    public void close() {
        if (route53 != null) {
            route53.close();
        }
        cloudWatch.values().forEach(CloudWatchClient::close);
        elb.values().forEach(ElasticLoadBalancingV2Client::close);
        http.close();
    }
}
