package io.drplane.executor.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients of one region. The SDK's own retries are off: {@link io.drplane.aws.AwsCalls} retries, so that attempts are
 * counted and reported, and backoff, circuit breaking and rate limiting are in one place.
 */
public final class AwsClients implements AutoCloseable {

    private final String region;
    private final SdkHttpClient http;
    private final RdsClient rds;
    private final AutoScalingClient autoScaling;
    private final Route53Client route53;
    private final StsClient sts;

    public AwsClients(
            String region,
            Optional<URI> endpoint,
            AwsCredentialsProvider credentials,
            Duration callTimeout,
            List<ExecutionInterceptor> interceptors) {
        this.region = region;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(callTimeout)
                .build();
        ClientOverrideConfiguration override = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(callTimeout)
                .executionInterceptors(interceptors)
                .build();
        var rdsBuilder = RdsClient.builder()
                .region(Region.of(region))
                .httpClient(http)
                .credentialsProvider(credentials)
                .overrideConfiguration(override);
        var asgBuilder = AutoScalingClient.builder()
                .region(Region.of(region))
                .httpClient(http)
                .credentialsProvider(credentials)
                .overrideConfiguration(override);
        // Route 53 is a global service: its control plane is signed for us-east-1 whatever region acts on it.
        var dnsBuilder = Route53Client.builder()
                .region(Region.AWS_GLOBAL)
                .httpClient(http)
                .credentialsProvider(credentials)
                .overrideConfiguration(override);
        var stsBuilder = StsClient.builder()
                .region(Region.of(region))
                .httpClient(http)
                .credentialsProvider(credentials)
                .overrideConfiguration(override);
        endpoint.ifPresent(uri -> {
            stsBuilder.endpointOverride(uri);
            rdsBuilder.endpointOverride(uri);
            asgBuilder.endpointOverride(uri);
            dnsBuilder.endpointOverride(uri);
        });
        this.rds = rdsBuilder.build();
        this.autoScaling = asgBuilder.build();
        this.route53 = dnsBuilder.build();
        this.sts = stsBuilder.build();
    }

    public String region() {
        return region;
    }

    public RdsClient rds() {
        return rds;
    }

    public AutoScalingClient autoScaling() {
        return autoScaling;
    }

    public Route53Client route53() {
        return route53;
    }

    public StsClient sts() {
        return sts;
    }

    @Override
    public void close() {
        sts.close();
        rds.close();
        autoScaling.close();
        route53.close();
        http.close();
    }
}
