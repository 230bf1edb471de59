package io.drplane.replicationtracker.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Turns a credential reference of the plan into the secret: {@code env:NAME} reads an environment variable,
 * {@code secretsmanager:ID} an AWS Secrets Manager secret (its {@code password} field when it is JSON, else the
 * whole string) in the region of the database, or the region of the ARN. Secrets are never logged; errors name
 * the reference, not the value.
 */
public final class SecretResolver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, String> environment;
    private final Optional<URI> awsEndpoint;
    private final Map<String, SecretsManagerClient> clients = new ConcurrentHashMap<>();

    public SecretResolver(Function<String, String> environment, Optional<URI> awsEndpoint) {
        this.environment = environment;
        this.awsEndpoint = awsEndpoint;
    }

    public String resolve(String reference, String region) {
        if (reference.startsWith("env:")) {
            String name = reference.substring(4);
            String value = environment.apply(name);
            if (value == null) {
                throw new IllegalStateException(
                        "the environment variable " + name + " (from " + reference + ") is not set");
            }
            return value;
        }
        if (reference.startsWith("secretsmanager:")) {
            String id = reference.substring("secretsmanager:".length());
            String secretRegion = id.startsWith("arn:") ? id.split(":")[3] : region;
            String value =
                    client(secretRegion).getSecretValue(r -> r.secretId(id)).secretString();
            return passwordOf(value);
        }
        throw new IllegalArgumentException("not a credential reference: use env:NAME or secretsmanager:ID");
    }

    static String passwordOf(String secret) {
        String trimmed = secret.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode json = JSON.readTree(trimmed);
                if (json.hasNonNull("password")) {
                    return json.get("password").asText();
                }
            } catch (IOException e) {
                return secret; // not JSON after all: the whole string is the password
            }
        }
        return secret;
    }

    private SecretsManagerClient client(String region) {
        return clients.computeIfAbsent(region, r -> {
            var builder =
                    SecretsManagerClient.builder().region(Region.of(r)).httpClient(UrlConnectionHttpClient.create());
            awsEndpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    @Override
    public void close() {
        clients.values().forEach(SecretsManagerClient::close);
    }
}
