package io.drplane.kafka;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Proof that an operator event was written by drplane's API, not by anyone who can write to {@code dr.operator.v1}:
 * an HMAC-SHA256 over the record's topic and value, in the header {@value #HEADER} as {@code keyId:base64}, with a key
 * only the coordinators hold. Several keys can verify at once and the first one signs, so a key is rotated by adding
 * the new one first, restarting, and removing the old one once no record it signed is still to be read.
 */
public final class OperatorSignatures {

    public static final String HEADER = "dr.signature";
    /** A secret shorter than this is refused: HMAC-SHA256's strength is capped by its key. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";

    /** Why a record's signature was not accepted, for the dead letter. */
    public enum Problem {
        MISSING,
        INVALID
    }

    /** A refusal: which problem, and one sentence saying it. */
    public record Refusal(Problem problem, String message) {}

    private final Map<String, byte[]> keys;
    private final String signingKey;

    private OperatorSignatures(Map<String, byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no operator signing key given");
        }
        this.keys = Map.copyOf(keys);
        this.signingKey = keys.keySet().iterator().next();
    }

    /**
     * Keys from their text, {@code id:base64secret[,id:base64secret...]}, the first one signing; as given in
     * {@code DRPLANE_OPERATOR_KEYS} or the file {@code DRPLANE_OPERATOR_KEYS_FILE} names.
     *
     * @throws IllegalArgumentException naming what is wrong, never the secret
     */
    public static OperatorSignatures parse(String text, String where) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        List<String> entries = new ArrayList<>();
        for (String entry : text.strip().split("[,\\s]+")) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        where + ": an operator key is id:base64-secret; one entry has no id");
            }
            String id = entry.substring(0, colon);
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(entry.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the secret of operator key '" + id + "' is not base64");
            }
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException(
                        where + ": the secret of operator key '" + id + "' is " + secret.length + " bytes; at least "
                                + MIN_SECRET_BYTES + " are needed (openssl rand -base64 32)");
            }
            if (keys.put(id, secret) != null) {
                throw new IllegalArgumentException(where + ": operator key '" + id + "' is given twice");
            }
        }
        return new OperatorSignatures(keys);
    }

    /** The id of the key that signs. */
    public String signingKeyId() {
        return signingKey;
    }

    /** Signs a record about to be written: adds (or replaces) its signature header. */
    public void sign(String topic, byte[] value, Headers headers) {
        headers.remove(HEADER);
        headers.add(
                HEADER,
                (signingKey + ":" + Base64.getEncoder().encodeToString(mac(keys.get(signingKey), topic, value)))
                        .getBytes(StandardCharsets.US_ASCII));
    }

    /** Empty when the record carries a valid signature by one of the keys; otherwise why not. */
    public Optional<Refusal> verify(String topic, byte[] value, Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null) {
            return Optional.of(new Refusal(
                    Problem.MISSING,
                    "the operator event carries no " + HEADER + " header: only drplane's API writes operator events,"
                            + " and it signs each one"));
        }
        String text = new String(header.value(), StandardCharsets.US_ASCII);
        int colon = text.indexOf(':');
        String id = colon < 0 ? "" : text.substring(0, colon);
        byte[] key = keys.get(id);
        if (key == null) {
            return Optional.of(new Refusal(
                    Problem.INVALID,
                    "the operator event is signed with key '" + id
                            + "', which this coordinator does not hold (it holds " + keys.keySet() + ")"));
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(text.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Optional.of(new Refusal(Problem.INVALID, "the operator event's signature is not base64"));
        }
        if (!MessageDigest.isEqual(given, mac(key, topic, value))) { // constant time
            return Optional.of(new Refusal(
                    Problem.INVALID,
                    "the operator event's signature by key '" + id + "' does not match its content: it was changed"
                            + " or forged after the API signed it"));
        }
        return Optional.empty();
    }

    private static byte[] mac(byte[] key, String topic, byte[] value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(topic.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0); // no topic and value can run into each other
            return mac.doFinal(value == null ? new byte[0] : value);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "OperatorSignatures[keys=" + keys.keySet() + ", signing=" + signingKey + "]"; // never a secret
    }
}
