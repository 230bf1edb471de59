package io.drplane.coordinator.view;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * How API tokens are kept: a line {@code principal:right:salt:hash} of the coordinator's tokens file, the hash a
 * SHA-256 of the salt and the token. Tokens are random (256 bits), so a fast hash with a salt is enough; only the
 * holder ever sees the token, once, when {@code drplane token} makes it.
 */
public final class ApiTokenHashes {

    /** A new token and the line that grants it. */
    public record Issued(String token, String line) {}

    private ApiTokenHashes() {}

    /**
     * @param right {@code read} or {@code operate}
     * @throws IllegalArgumentException for another right, or a principal with a colon
     */
    public static Issued issue(String principal, String right) {
        if (!right.equals("read") && !right.equals("operate")) {
            throw new IllegalArgumentException("the right is read or operate, not '" + right + "'");
        }
        if (principal.isBlank() || principal.contains(":")) {
            throw new IllegalArgumentException("a principal is a name without ':', like alice@example.com");
        }
        SecureRandom random = new SecureRandom();
        byte[] token = new byte[32];
        random.nextBytes(token);
        String text = "drp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String line = principal + ":" + right + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash(salt, text.getBytes(StandardCharsets.UTF_8)));
        return new Issued(text, line);
    }

    public static byte[] hash(byte[] salt, byte[] token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(token);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
