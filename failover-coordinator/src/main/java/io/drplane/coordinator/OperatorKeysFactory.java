package io.drplane.coordinator;

import io.drplane.kafka.OperatorSignatures;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The keys operator events are signed and verified with: {@code DRPLANE_OPERATOR_KEYS_FILE} (a file, as a mounted
 * secret) or {@code DRPLANE_OPERATOR_KEYS}, as {@code id:base64secret[,id:base64secret...]}, the first signing. Every
 * coordinator instance needs the same keys. Without them the coordinator does not start: an unsigned operator topic
 * would let anyone who can write to Kafka speak for an operator.
 */
@Factory
class OperatorKeysFactory {

    @Singleton
    OperatorSignatures operatorKeys(
            @Nullable @Value("${drplane.operator-keys-file:}") String file,
            @Nullable @Value("${drplane.operator-keys:}") String keys) {
        if (file != null && !file.isBlank()) {
            try {
                return OperatorSignatures.parse(Files.readString(Path.of(file), StandardCharsets.UTF_8), file);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "DRPLANE_OPERATOR_KEYS_FILE=" + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (keys != null && !keys.isBlank()) {
            return OperatorSignatures.parse(keys, "DRPLANE_OPERATOR_KEYS");
        }
        throw new IllegalStateException("the coordinator needs the keys it signs and verifies operator events with:"
                + " set DRPLANE_OPERATOR_KEYS=k1:$(openssl rand -base64 32), or DRPLANE_OPERATOR_KEYS_FILE to a file holding"
                + " that, the same on every coordinator instance");
    }
}
