package io.drplane.coordinator.api;

import io.drplane.coordinator.view.ApiTokenHashes;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read and who may change what through the API. Tokens are kept only as salted SHA-256 hashes and compared in
 * constant time, against every entry. Two sources, used together:
 *
 * <ul>
 *   <li>{@code DRPLANE_API_TOKENS_FILE}: one entry per line, {@code principal:right:salt:hash} (both base64), as
 *       {@code drplane token} prints them; {@code #} starts a comment. The file is read again when it changes, so a token
 *       is added or revoked without a restart.
 *   <li>{@code DRPLANE_API_TOKENS}: {@code token:principal:right} entries, comma separated, for a quick start; hashed
 *       when read.
 * </ul>
 *
 * A right is {@code read} (the GETs) or {@code operate} (everything). No token is 401; a read token on a change 403.
 */
@Singleton
public class ApiTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);

    public record Principal(String name, boolean canOperate) {}

    /** One token as kept: its holder, right, salt and salted hash. */
    record Entry(Principal principal, byte[] salt, byte[] hash) {}

    private final List<Entry> fromEnvironment;
    private final Path file;
    private volatile List<Entry> fromFile = List.of();
    private volatile FileTime fileVersion;

    public ApiTokens(
            @Nullable @Value("${drplane.api.tokens:}") String configured,
            @Nullable @Value("${drplane.api.tokens-file:}") String tokensFile) {
        this.fromEnvironment = parseInline(configured);
        this.file = tokensFile == null || tokensFile.isBlank() ? null : Path.of(tokensFile);
        if (file != null) {
            reload(); // a bad file stops the start, naming the line
        }
    }

    /** The principal of an {@code Authorization: Bearer ...} header, if the token is known. */
    public Optional<Principal> principal(@Nullable String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        byte[] token = authorization.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        if (file != null) {
            reloadIfChanged();
        }
        Principal found = null;
        // Every entry is hashed and compared, found or not: the time taken says nothing about the tokens.
        for (List<Entry> entries : List.of(fromEnvironment, fromFile)) {
            for (Entry entry : entries) {
                if (MessageDigest.isEqual(hash(entry.salt(), token), entry.hash()) && found == null) {
                    found = entry.principal();
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private void reloadIfChanged() {
        try {
            if (!Files.getLastModifiedTime(file).equals(fileVersion)) {
                reload();
            }
        } catch (IOException | RuntimeException e) {
            // The tokens read before stay in force: a file being rewritten must not lock every operator out.
            LOG.error(
                    "DRPLANE_API_TOKENS_FILE={} could not be read again; the tokens read before stay: {}",
                    file,
                    e.getMessage());
        }
    }

    private synchronized void reload() {
        try {
            FileTime version = Files.getLastModifiedTime(file);
            List<Entry> entries = new ArrayList<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String where = file + " line " + (n + 1);
                String[] parts = line.split(":");
                if (parts.length != 4) {
                    throw new IllegalArgumentException(
                            where + ": an entry is principal:right:salt:hash (as `drplane token`" + " prints it), "
                                    + parts.length + " part(s) found");
                }
                try {
                    entries.add(new Entry(
                            new Principal(parts[0], right(parts[1], where)),
                            Base64.getDecoder().decode(parts[2]),
                            Base64.getDecoder().decode(parts[3])));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            fromFile = List.copyOf(entries);
            fileVersion = version;
            LOG.info("API tokens: {} from {}", entries.size(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("DRPLANE_API_TOKENS_FILE=" + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<Entry> parseInline(String configured) {
        List<Entry> entries = new ArrayList<>();
        if (configured == null || configured.isBlank()) {
            return entries;
        }
        SecureRandom random = new SecureRandom();
        for (String item : configured.split(",")) {
            String[] parts = item.trim().split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("DRPLANE_API_TOKENS entries are token:principal:read|operate; one"
                        + " entry has " + parts.length + " part(s)");
            }
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            entries.add(new Entry(
                    new Principal(parts[1], right(parts[2], "DRPLANE_API_TOKENS")),
                    salt,
                    hash(salt, parts[0].getBytes(StandardCharsets.UTF_8))));
        }
        return List.copyOf(entries);
    }

    /** Whether a right may operate; anything but read or operate is an error naming where it was found. */
    private static boolean right(String right, String where) {
        return switch (right) {
            case "operate" -> true;
            case "read" -> false;
            default -> throw new IllegalArgumentException(
                    where + ": the right is read or operate, not '" + right + "'");
        };
    }

    private static byte[] hash(byte[] salt, byte[] token) {
        return ApiTokenHashes.hash(salt, token);
    }
}
