package io.drplane.coordinator;

import io.drplane.kafka.RecordSignatures;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The keys operator events are signed and verified with: {@code DRPLANE_OPERATOR_KEYS_FILE} (a file, as a mounted
 * secret) or {@code DRPLANE_OPERATOR_KEYS}, as {@code id:base64secret[,id:base64secret...]}, the first signing. Every
 * coordinator instance needs the same keys. Without them the coordinator does not start: an unsigned operator topic
 * would let anyone who can write to Kafka speak for an operator.
 */
@Factory
class OperatorKeysFactory {

    @Singleton
    @Named("operator-events")
    RecordSignatures operatorKeys(
            @Nullable @Value("${drplane.operator-keys-file:}") String file,
            @Nullable @Value("${drplane.operator-keys:}") String keys) {
        return RecordSignatures.fromSettings(RecordSignatures.Kind.OPERATOR_EVENTS, file, keys);
    }
}
