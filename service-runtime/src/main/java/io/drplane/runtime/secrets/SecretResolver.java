package io.drplane.runtime.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Turns a credential reference of the plan into the secret: {@code env:NAME} and {@code ${NAME}} read an environment
 * variable, {@code file:/path} a file (a mounted secret; one trailing line break dropped), {@code secretsmanager:ID} an
 * AWS Secrets Manager secret and {@code ssm:/name} an SSM SecureString parameter, in the region of the ARN or else the
 * given one. Secrets are never logged; errors name the reference, not the value.
 */
public final class SecretResolver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, String> environment;
    private final Optional<URI> awsEndpoint;
    private final Map<String, SecretsManagerClient> secretsManagers = new ConcurrentHashMap<>();
    private final Map<String, SsmClient> parameterStores = new ConcurrentHashMap<>();

    public SecretResolver(Function<String, String> environment, Optional<URI> awsEndpoint) {
        this.environment = environment;
        this.awsEndpoint = awsEndpoint;
    }

    /** The secret a reference names, as stored. */
    public String resolve(String reference, String region) {
        if (reference.startsWith("env:")) {
            return variable(reference.substring(4), reference);
        }
        if (reference.startsWith("${") && reference.endsWith("}")) {
            return variable(reference.substring(2, reference.length() - 1), reference);
        }
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring(5));
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8);
                return value.endsWith("\n")
                        ? value.substring(0, value.length() - 1).stripTrailing()
                        : value;
            } catch (IOException e) {
                throw new IllegalStateException("could not read the secret file " + file + " (from " + reference + "): "
                        + e.getClass().getSimpleName());
            }
        }
        if (reference.startsWith("secretsmanager:")) {
            String id = reference.substring("secretsmanager:".length());
            return secretsManager(regionOf(id, region))
                    .getSecretValue(r -> r.secretId(id))
                    .secretString();
        }
        if (reference.startsWith("ssm:")) {
            String name = reference.substring("ssm:".length());
            return parameterStore(regionOf(name, region))
                    .getParameter(r -> r.name(name).withDecryption(true))
                    .parameter()
                    .value();
        }
        throw new IllegalArgumentException(
                "not a credential reference: use env:NAME, ${NAME}, file:/path, secretsmanager:ID or ssm:/name");
    }

    /** A database password: the {@code password} field of a JSON secret (as RDS stores them), else the whole secret. */
    public String password(String reference, String region) {
        return passwordOf(resolve(reference, region));
    }

    private String variable(String name, String reference) {
        String value = environment.apply(name);
        if (value == null) {
            throw new IllegalStateException(
                    "the environment variable " + name + " (from " + reference + ") is not set");
        }
        return value;
    }

    private static String regionOf(String id, String region) {
        return id.startsWith("arn:") ? id.split(":")[3] : region;
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

    private SecretsManagerClient secretsManager(String region) {
        return secretsManagers.computeIfAbsent(region, r -> {
            var builder =
                    SecretsManagerClient.builder().region(Region.of(r)).httpClient(UrlConnectionHttpClient.create());
            awsEndpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    private SsmClient parameterStore(String region) {
        return parameterStores.computeIfAbsent(region, r -> {
            var builder = SsmClient.builder().region(Region.of(r)).httpClient(UrlConnectionHttpClient.create());
            awsEndpoint.ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    @Override
    public void close() {
        secretsManagers.values().forEach(SecretsManagerClient::close);
        parameterStores.values().forEach(SsmClient::close);
    }
}
