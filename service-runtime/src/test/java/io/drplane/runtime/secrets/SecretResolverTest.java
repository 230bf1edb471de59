package io.drplane.runtime.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {

    private final SecretResolver resolver =
            new SecretResolver(Map.of("ORDERS_DB_PASSWORD", "s3cret")::get, Optional.empty());

    @Test
    void shouldReadEnvironmentReferences() {
        assertThat(resolver.resolve("env:ORDERS_DB_PASSWORD", "us-east-1")).isEqualTo("s3cret");
    }

    @Test
    void shouldReadBracedEnvironmentReferences() {
        assertThat(resolver.resolve("${ORDERS_DB_PASSWORD}", "us-east-1")).isEqualTo("s3cret");
    }

    @Test
    void shouldReadAMountedSecretFileWithoutItsLineBreak(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("slack-url"), "https://hooks.slack.com/services/T/B/x\n");
        assertThat(resolver.resolve("file:" + file, "us-east-1")).isEqualTo("https://hooks.slack.com/services/T/B/x");
    }

    @Test
    void shouldNameAMissingFileButNotAnyValue() {
        assertThatThrownBy(() -> resolver.resolve("file:/no/such/secret", "us-east-1"))
                .hasMessage(
                        "could not read the secret file /no/such/secret (from file:/no/such/secret): NoSuchFileException");
    }

    @Test
    void shouldRefuseSomethingThatIsNoReference() {
        assertThatThrownBy(() -> resolver.resolve("hunter2", "us-east-1"))
                .hasMessageContaining("not a credential reference")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldNameAMissingVariableButNotAnyValue() {
        assertThatThrownBy(() -> resolver.resolve("env:MISSING", "us-east-1"))
                .hasMessage("the environment variable MISSING (from env:MISSING) is not set");
    }

    @Test
    void shouldTakeThePasswordFieldOfAJsonSecret() {
        assertThat(SecretResolver.passwordOf("{\"username\":\"drplane\",\"password\":\"p@ss\"}"))
                .isEqualTo("p@ss");
        assertThat(SecretResolver.passwordOf("plain-password")).isEqualTo("plain-password");
    }
}
