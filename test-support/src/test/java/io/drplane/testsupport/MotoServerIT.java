package io.drplane.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.CreateHostedZoneRequest;

/** The moto fixture serves the real AWS SDK, and a reset gives the next test an empty account. */
class MotoServerIT {

    @Test
    void shouldServeTheAwsSdkAndForgetEverythingOnReset() {
        MotoServer moto = MotoServer.shared();
        try (Route53Client route53 = Route53Client.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            route53.createHostedZone(CreateHostedZoneRequest.builder()
                    .name("shop.example.com.")
                    .callerReference("moto-it")
                    .build());
            assertThat(route53.listHostedZones().hostedZones())
                    .extracting(z -> z.name())
                    .containsExactly("shop.example.com.");

            moto.reset();

            assertThat(route53.listHostedZones().hostedZones()).isEmpty();
        }
    }

    @Test
    void shouldShareOneServerPerTestJvm() {
        assertThat(MotoServer.shared()).isSameAs(MotoServer.shared());
        assertThat(MotoServer.shared().endpoint().getHost()).isEqualTo("127.0.0.1");
    }
}
