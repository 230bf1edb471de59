package io.drplane.healthmonitor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.ProbeOutcome;
import io.drplane.healthmonitor.TestTargets;
import io.drplane.plan.HealthTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS verification against a real server: refused by default, accepted with the certificate in the trust store. */
class HttpProberIT {

    @TempDir
    static Path dir;

    static TestTargets servers;
    static ExecutorService executor = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void start() throws Exception {
        servers = new TestTargets(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
        executor.shutdownNow();
    }

    @Test
    void shouldFailTlsByDefaultAndPassWithTheConfiguredTrustStore() throws Exception {
        HealthTarget target = https(servers.https("/ok"));
        HttpProber defaultTrust =
                new HttpProber("v1", Clock.systemUTC(), TrustStores.context(null, "", "PKCS12"), executor);
        HttpProber trusting = new HttpProber(
                "v1",
                Clock.systemUTC(),
                TrustStores.context(servers.keyStore().toString(), TestTargets.PASSWORD, "PKCS12"),
                executor);

        ProbeResult refused =
                defaultTrust.probe(new ProbeTarget("g", "us-east-1", target)).get(10, TimeUnit.SECONDS);
        ProbeResult accepted =
                trusting.probe(new ProbeTarget("g", "us-east-1", target)).get(10, TimeUnit.SECONDS);

        assertThat(refused.outcome()).isEqualTo(ProbeOutcome.TLS);
        assertThat(refused.detail()).contains("certification path");
        assertThat(accepted.outcome()).isEqualTo(ProbeOutcome.OK);
        assertThat(accepted.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldNameAnUnreadableTrustStore() {
        Assertions.assertThatThrownBy(() -> TrustStores.context("/no/such/store.p12", "x", "PKCS12"))
                .hasMessageContaining("cannot load the trust store /no/such/store.p12 (type PKCS12)");
    }

    private static HealthTarget https(String url) {
        return new HealthTarget(
                "web",
                HealthTarget.Kind.HTTPS,
                URI.create(url),
                "GET",
                Map.of(),
                200,
                399,
                null,
                null,
                false,
                null,
                0,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                null,
                null,
                null);
    }
}
