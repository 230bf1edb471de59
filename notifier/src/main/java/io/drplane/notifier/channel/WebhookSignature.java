package io.drplane.notifier.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing (standardwebhooks.com): {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature: v1,BASE64(HMAC-SHA256(secret, id + "." + timestamp + "." + body))}. The secret is given as
 * {@code whsec_BASE64}, as the standard's libraries make them, or as plain text.
 */
public final class WebhookSignature {

    private final byte[] key;

    public WebhookSignature(String secret) {
        this.key = keyOf(secret);
    }

    static byte[] keyOf(String secret) {
        if (secret.startsWith("whsec_")) {
            return Base64.getDecoder().decode(secret.substring("whsec_".length()));
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The three headers for {@code body}, sent as message {@code id} at {@code epochSeconds}. */
    public Map<String, String> headers(String id, long epochSeconds, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(epochSeconds));
        headers.put("webhook-signature", "v1," + sign(id + "." + epochSeconds + "." + body));
        return headers;
    }

    String sign(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
