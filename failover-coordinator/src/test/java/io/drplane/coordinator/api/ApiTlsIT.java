package io.drplane.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drplane.coordinator.FailoverCoordinatorApplication;
import io.drplane.events.TopicSpec;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestKeys;
import io.drplane.testsupport.TestPlans;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over TLS when a certificate is configured (Micronaut's own settings, as environment variables
 * {@code MICRONAUT_SERVER_SSL_*}): a client that trusts the certificate reads with its token; plain HTTP on that port
 * gets no answer.
 */
class ApiTlsIT {

    private static final String PASSWORD = "changeit-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void shouldServeTheApiOverTlsWithTheConfiguredCertificate() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        Path keyStore = selfSigned(dir.resolve("api.p12"));
        String group = "tls-" + Long.toHexString(System.nanoTime());
        try (ApplicationContext context = ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(FailoverCoordinatorApplication.SERVICE))
                .properties(Map.ofEntries(
                        Map.entry("kafka.bootstrap.servers", SharedKafka.bootstrapServers()),
                        Map.entry(
                                "drplane.kafka-properties",
                                SharedKafka.propertiesFile().toString()),
                        Map.entry(
                                "drplane.plan",
                                TestPlans.minimal(dir, group, "approval").toString()),
                        Map.entry("drplane.instance", group),
                        Map.entry("drplane.operator-keys", TestKeys.OPERATOR_KEYS),
                        Map.entry("drplane.command-keys", TestKeys.COMMAND_KEYS),
                        Map.entry("drplane.api.tokens", "r34d:reader:read"),
                        Map.entry("micronaut.server.ssl.enabled", true),
                        Map.entry("micronaut.server.ssl.port", -1),
                        Map.entry("micronaut.server.ssl.key-store.path", "file:" + keyStore),
                        Map.entry("micronaut.server.ssl.key-store.password", PASSWORD),
                        Map.entry("micronaut.server.ssl.key-store.type", "PKCS12")))
                .start()) {
            URI base = context.getBean(EmbeddedServer.class).start().getURI();
            assertThat(base.getScheme()).isEqualTo("https");

            HttpClient trusting =
                    HttpClient.newBuilder().sslContext(trusting(keyStore)).build();
            HttpResponse<String> groups = trusting.send(
                    HttpRequest.newBuilder(base.resolve("/groups"))
                            .header("Authorization", "Bearer r34d")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(groups.statusCode()).isEqualTo(200);
            assertThat(groups.body()).contains(group);

            URI plain = URI.create("http://" + base.getHost() + ":" + base.getPort() + "/groups");
            assertThatThrownBy(() -> HttpClient.newHttpClient()
                            .send(HttpRequest.newBuilder(plain).GET().build(), HttpResponse.BodyHandlers.ofString()))
                    .as("no plain HTTP on the TLS port")
                    .isInstanceOf(IOException.class);
        }
    }

    /** A self-signed certificate for localhost, made with the JDK's keytool. */
    private static Path selfSigned(Path keyStore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "drplane-api",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keyStore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        return keyStore;
    }

    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
