package io.drplane.backupscheduler.engine;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.ResilienceSettings;
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
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The SDK clients of one region for backups, and the resilience every call goes through ({@link AwsCalls}: the SDK's
 * own retries are off so that one place retries, breaks and limits, as in the region executors).
 */
public final class RegionClients implements AutoCloseable {

    private final String region;
    private final SdkHttpClient http;
    private final RdsClient rds;
    private final Ec2Client ec2;
    private final DynamoDbClient dynamoDb;
    private final BackupClient backup;
    private final AwsCalls calls;

    public RegionClients(
            String region,
            Optional<URI> endpoint,
            AwsCredentialsProvider credentials,
            ResilienceSettings resilience,
            List<ExecutionInterceptor> interceptors) {
        this.region = region;
        Duration timeout = resilience.callTimeout();
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(timeout)
                .build();
        ClientOverrideConfiguration override = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(timeout)
                .executionInterceptors(interceptors)
                .build();
        var rdsBuilder =
                RdsClient.builder().region(Region.of(region)).httpClient(http).credentialsProvider(credentials);
        var ec2Builder =
                Ec2Client.builder().region(Region.of(region)).httpClient(http).credentialsProvider(credentials);
        var ddbBuilder = DynamoDbClient.builder()
                .region(Region.of(region))
                .httpClient(http)
                .credentialsProvider(credentials);
        var backupBuilder = BackupClient.builder()
                .region(Region.of(region))
                .httpClient(http)
                .credentialsProvider(credentials);
        rdsBuilder.overrideConfiguration(override);
        ec2Builder.overrideConfiguration(override);
        ddbBuilder.overrideConfiguration(override);
        backupBuilder.overrideConfiguration(override);
        endpoint.ifPresent(uri -> {
            rdsBuilder.endpointOverride(uri);
            ec2Builder.endpointOverride(uri);
            ddbBuilder.endpointOverride(uri);
            backupBuilder.endpointOverride(uri);
        });
        this.rds = rdsBuilder.build();
        this.ec2 = ec2Builder.build();
        this.dynamoDb = ddbBuilder.build();
        this.backup = backupBuilder.build();
        this.calls = new AwsCalls(region, resilience);
    }

    public String region() {
        return region;
    }

    public RdsClient rds() {
        return rds;
    }

    public Ec2Client ec2() {
        return ec2;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public BackupClient backup() {
        return backup;
    }

    public AwsCalls calls() {
        return calls;
    }

    @Override
    public void close() {
        rds.close();
        ec2.close();
        dynamoDb.close();
        backup.close();
        calls.close();
        http.close();
    }
}
