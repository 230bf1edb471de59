package io.drplane.backupscheduler;

import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.engine.NativeEngine;
import io.drplane.backupscheduler.engine.RegionClients;
import io.drplane.testsupport.MotoServer;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** us-east-1 and us-west-2 of an AWS endpoint (the shared moto by default), and the native engine over them. */
public final class MotoRegions implements AutoCloseable {

    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    public final RegionClients east;
    public final RegionClients west;
    public final NativeEngine engine;

    public MotoRegions() {
        this(MotoServer.shared().endpoint(), ResilienceSettings.defaults(), List.of());
    }

    public MotoRegions(URI endpoint, ResilienceSettings resilience, List<ExecutionInterceptor> interceptors) {
        east = new RegionClients("us-east-1", Optional.of(endpoint), CREDENTIALS, resilience, interceptors);
        west = new RegionClients("us-west-2", Optional.of(endpoint), CREDENTIALS, resilience, interceptors);
        engine = new NativeEngine(Map.of("us-east-1", east, "us-west-2", west), Instant::now);
    }

    /** A PostgreSQL RDS instance in us-east-1, to back up. */
    public void createDatabase(String identifier) {
        east.rds().createDBInstance(r -> r.dbInstanceIdentifier(identifier)
                .engine("postgres")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("admin")
                .masterUserPassword("secret-password"));
    }

    /** An Aurora PostgreSQL cluster in us-east-1, to back up. */
    public void createCluster(String identifier) {
        east.rds().createDBCluster(r -> r.dbClusterIdentifier(identifier)
                .engine("aurora-postgresql")
                .masterUsername("admin")
                .masterUserPassword("secret-password"));
    }

    /** A DynamoDB table in us-east-1 (on-demand, key {@code id}), to back up. */
    public void createTable(String name) {
        east.dynamoDb().createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("id")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(KeySchemaElement.builder()
                        .attributeName("id")
                        .keyType(KeyType.HASH)
                        .build()));
    }

    @Override
    public void close() {
        east.close();
        west.close();
    }
}
