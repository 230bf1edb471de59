package io.drplane.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Proof of who wrote a record, beyond what the broker's ACLs can tell: an HMAC-SHA256 over the record's topic and
 * value, in the header {@value #HEADER} as {@code keyId:base64}. Operator events are signed by drplane's API with a key
 * only the coordinators hold ({@code DRPLANE_OPERATOR_KEYS}); commands by the coordinator with a key it shares with the
 * executors only ({@code DRPLANE_COMMAND_KEYS}). Several keys can verify at once and the first one signs, so a key is
 * rotated by adding the new one first, restarting, and removing the old one once no record it signed is still to be
 * read.
 */
public final class RecordSignatures {

    /** What is signed, by whom, and where its keys are given: for the messages a refusal carries. */
    public enum Kind {
        OPERATOR_EVENTS("operator event", "drplane's API", "DRPLANE_OPERATOR_KEYS"),
        COMMANDS("command", "the coordinator", "DRPLANE_COMMAND_KEYS");

        private final String what;
        private final String signer;
        private final String setting;

        Kind(String what, String signer, String setting) {
            this.what = what;
            this.signer = signer;
            this.setting = setting;
        }

        /** The environment variable its keys are given in ({@code _FILE} for a file). */
        public String setting() {
            return setting;
        }
    }

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

    private final Kind kind;
    private final Map<String, byte[]> keys;
    private final String signingKey;

    private RecordSignatures(Kind kind, Map<String, byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no " + kind.what + " signing key given (" + kind.setting + ")");
        }
        this.kind = kind;
        this.keys = Map.copyOf(keys);
        this.signingKey = keys.keySet().iterator().next();
    }

    /**
     * Keys from their text, {@code id:base64secret[,id:base64secret...]}, the first one signing; as given in
     * {@code DRPLANE_OPERATOR_KEYS} or the file {@code DRPLANE_OPERATOR_KEYS_FILE} names.
     *
     * @throws IllegalArgumentException naming what is wrong, never the secret
     */
    public static RecordSignatures parse(String text, String where) {
        return parse(Kind.OPERATOR_EVENTS, text, where);
    }

    /** The keys of one kind of record, from their text: {@code id:base64secret[,id:base64secret...]}. */
    public static RecordSignatures parse(Kind kind, String text, String where) {
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
                throw new IllegalArgumentException(where + ": a key is id:base64-secret; one entry has no id");
            }
            String id = entry.substring(0, colon);
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(entry.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the secret of key '" + id + "' is not base64");
            }
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException(where + ": the secret of key '" + id + "' is " + secret.length
                        + " bytes; at least " + MIN_SECRET_BYTES + " are needed (openssl rand -base64 32)");
            }
            if (keys.put(id, secret) != null) {
                throw new IllegalArgumentException(where + ": key '" + id + "' is given twice");
            }
        }
        return new RecordSignatures(kind, keys);
    }

    /**
     * The keys of a service's settings: the file {@code <setting>_FILE} names (a mounted secret), or else the text of
     * {@code <setting>}; neither given stops the service, saying what to set.
     */
    public static RecordSignatures fromSettings(Kind kind, String file, String inline) {
        if (file != null && !file.isBlank()) {
            try {
                return parse(kind, Files.readString(Path.of(file), StandardCharsets.UTF_8), file);
            } catch (IOException e) {
                throw new IllegalStateException(
                        kind.setting + "_FILE=" + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (inline != null && !inline.isBlank()) {
            return parse(kind, inline, kind.setting);
        }
        throw new IllegalStateException("the " + kind.what + " signing keys are missing: set " + kind.setting
                + "=k1:$(openssl rand -base64 32), or " + kind.setting + "_FILE to a file holding that, the same for "
                + kind.signer + " and every reader of its " + kind.what + "s");
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
                    "the " + kind.what + " carries no " + HEADER + " header: only " + kind.signer + " writes "
                            + kind.what + "s, and it signs each one"));
        }
        String text = new String(header.value(), StandardCharsets.US_ASCII);
        int colon = text.indexOf(':');
        String id = colon < 0 ? "" : text.substring(0, colon);
        byte[] key = keys.get(id);
        if (key == null) {
            return Optional.of(new Refusal(
                    Problem.INVALID,
                    "the " + kind.what + " is signed with key '" + id + "', which is not among " + keys.keySet() + " ("
                            + kind.setting + ")"));
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(text.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Optional.of(new Refusal(Problem.INVALID, "the " + kind.what + "'s signature is not base64"));
        }
        if (!MessageDigest.isEqual(given, mac(key, topic, value))) { // constant time
            return Optional.of(new Refusal(
                    Problem.INVALID,
                    "the " + kind.what + "'s signature by key '" + id + "' does not match its content: it was changed"
                            + " or forged after " + kind.signer + " signed it"));
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
        return "RecordSignatures[" + kind + ", keys=" + keys.keySet() + ", signing=" + signingKey
                + "]"; // never a secret
    }
}
