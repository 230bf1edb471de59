package io.drplane.replicationtracker.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretResolverTest {

    private final SecretResolver resolver =
            new SecretResolver(Map.of("ORDERS_DB_PASSWORD", "s3cret")::get, Optional.empty());

    @Test
    void shouldReadEnvironmentReferences() {
        assertThat(resolver.resolve("env:ORDERS_DB_PASSWORD", "us-east-1")).isEqualTo("s3cret");
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
