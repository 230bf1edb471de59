package io.drplane.runtime.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.testsupport.MotoServer;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Secrets Manager and SSM SecureString references resolved against moto, by name and by ARN in another region. */
class SecretResolverIT {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    @Test
    void shouldResolveSecretsManagerAndSsmReferences() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String arn;
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                        .endpointOverride(MotoServer.shared().endpoint())
                        .region(Region.US_WEST_2)
                        .credentialsProvider(CREDENTIALS)
                        .build();
                SsmClient ssm = SsmClient.builder()
                        .endpointOverride(MotoServer.shared().endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(CREDENTIALS)
                        .build()) {
            arn = secrets.createSecret(r -> r.name("pager/" + id).secretString("routing-key-" + id))
                    .arn();
            ssm.putParameter(r -> r.name("/drplane/" + id + "/slack")
                    .type(ParameterType.SECURE_STRING)
                    .value("https://hooks.slack.com/services/" + id));
        }
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (SecretResolver resolver = new SecretResolver(
                Map.<String, String>of()::get, Optional.of(MotoServer.shared().endpoint()))) {
            // the ARN names us-west-2; the default region is another
            assertThat(resolver.resolve("secretsmanager:" + arn, "us-east-1")).isEqualTo("routing-key-" + id);
            assertThat(resolver.resolve("ssm:/drplane/" + id + "/slack", "us-east-1"))
                    .isEqualTo("https://hooks.slack.com/services/" + id);
        }
    }
}
