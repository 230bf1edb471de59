package io.drplane.coordinator.api;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may change what through the API: {@code DRPLANE_API_TOKENS} lists {@code token:principal:right} entries,
 * comma separated, where right is {@code read} or {@code operate}. A mutating call needs an {@code operate} token:
 * none is 401, a read-only one is 403.
 */
@Singleton
public class ApiTokens {

    public record Principal(String name, boolean canOperate) {}

    private final Map<String, Principal> tokens = new HashMap<>();

    public ApiTokens(@Nullable @Value("${drplane.api.tokens:}") String configured) {
        if (configured == null || configured.isBlank()) {
            return;
        }
        for (String entry : configured.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 3 || !(parts[2].equals("read") || parts[2].equals("operate"))) {
                throw new IllegalArgumentException(
                        "DRPLANE_API_TOKENS entries are token:principal:read|operate; one entry is not (" + parts.length
                                + " part(s))");
            }
            tokens.put(parts[0], new Principal(parts[1], parts[2].equals("operate")));
        }
    }

    /** The principal of an {@code Authorization: Bearer ...} header, if the token is known. */
    public Optional<Principal> principal(@Nullable String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                tokens.get(authorization.substring("Bearer ".length()).trim()));
    }
}
