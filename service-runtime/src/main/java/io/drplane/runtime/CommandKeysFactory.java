package io.drplane.runtime;

import io.drplane.kafka.RecordSignatures;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The keys commands are signed (by the coordinator) and verified (by the region executors) with:
 * {@code DRPLANE_COMMAND_KEYS_FILE} or {@code DRPLANE_COMMAND_KEYS}, {@code id:base64secret[,...]}, the first signing.
 * Only the services that use them build them, and they do not start without them.
 */
@Factory
class CommandKeysFactory {

    @Singleton
    @Named("commands")
    RecordSignatures commandKeys(
            @Nullable @Value("${drplane.command-keys-file:}") String file,
            @Nullable @Value("${drplane.command-keys:}") String keys) {
        return RecordSignatures.fromSettings(RecordSignatures.Kind.COMMANDS, file, keys);
    }
}
