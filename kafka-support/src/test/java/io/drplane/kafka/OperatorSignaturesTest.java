package io.drplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OperatorSignaturesTest {

    private static final String TOPIC = "dr.operator.v1";
    private static final String OLD = "k1:" + secret('a');
    private static final String NEW = "k2:" + secret('b');
    private final byte[] value =
            "{\"type\":\"io.drplane.operator.switchover-requested.v1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldVerifyWhatItSigned() {
        OperatorSignatures keys = OperatorSignatures.parse(OLD, "test");
        Headers headers = new RecordHeaders();
        keys.sign(TOPIC, value, headers);

        assertThat(keys.verify(TOPIC, value, headers)).isEmpty();
        assertThat(new String(headers.lastHeader(OperatorSignatures.HEADER).value(), StandardCharsets.US_ASCII))
                .startsWith("k1:");
    }

    @Test
    void shouldRefuseAnUnsignedRecordAsMissing() {
        var refusal = OperatorSignatures.parse(OLD, "test").verify(TOPIC, value, new RecordHeaders());

        assertThat(refusal)
                .get()
                .extracting(OperatorSignatures.Refusal::problem)
                .isEqualTo(OperatorSignatures.Problem.MISSING);
        assertThat(refusal.get().message()).contains("no dr.signature header");
    }

    @Test
    void shouldRefuseAChangedValueAnotherTopicAndAnotherKey() {
        OperatorSignatures keys = OperatorSignatures.parse(OLD, "test");
        Headers headers = new RecordHeaders();
        keys.sign(TOPIC, value, headers);
        byte[] changed = value.clone();
        changed[5] ^= 1;

        assertThat(keys.verify(TOPIC, changed, headers))
                .get()
                .extracting(OperatorSignatures.Refusal::message)
                .asString()
                .contains("does not match its content");
        assertThat(keys.verify("dr.health.v1", value, headers)).isPresent();
        Headers forged = new RecordHeaders();
        OperatorSignatures.parse("k1:" + secret('m'), "mallory").sign(TOPIC, value, forged);
        assertThat(keys.verify(TOPIC, value, forged))
                .as("the same key id with another secret")
                .get()
                .extracting(OperatorSignatures.Refusal::problem)
                .isEqualTo(OperatorSignatures.Problem.INVALID);
        Headers unknown = new RecordHeaders();
        unknown.add(OperatorSignatures.HEADER, "k9:AAAA".getBytes(StandardCharsets.US_ASCII));
        assertThat(keys.verify(TOPIC, value, unknown).orElseThrow().message()).contains("key 'k9'");
    }

    @Test
    void shouldRotateByAddingTheNewKeyFirst() {
        Headers signedByOld = new RecordHeaders();
        OperatorSignatures.parse(OLD, "before").sign(TOPIC, value, signedByOld);
        OperatorSignatures during = OperatorSignatures.parse(NEW + "," + OLD, "during");
        Headers signedByNew = new RecordHeaders();
        during.sign(TOPIC, value, signedByNew);

        assertThat(during.signingKeyId()).isEqualTo("k2");
        assertThat(during.verify(TOPIC, value, signedByOld))
                .as("records the old key signed still verify")
                .isEmpty();
        assertThat(OperatorSignatures.parse(NEW, "after").verify(TOPIC, value, signedByNew))
                .isEmpty();
        assertThat(OperatorSignatures.parse(NEW, "after").verify(TOPIC, value, signedByOld))
                .as("the old key, once removed, no longer verifies")
                .isPresent();
    }

    @Test
    void shouldRefuseWeakOrMalformedKeysNamingWhereButNeverTheSecret() {
        String shortSecret = Base64.getEncoder().encodeToString("short".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> OperatorSignatures.parse("k1:" + shortSecret, "/etc/drplane/operator-keys"))
                .hasMessage(
                        "/etc/drplane/operator-keys: the secret of operator key 'k1' is 5 bytes; at least 32 are needed"
                                + " (openssl rand -base64 32)")
                .message()
                .doesNotContain(shortSecret);
        assertThatThrownBy(() -> OperatorSignatures.parse("k1:%%%%", "DRPLANE_OPERATOR_KEYS"))
                .hasMessageContaining("is not base64");
        assertThatThrownBy(() -> OperatorSignatures.parse(OLD + "," + OLD, "DRPLANE_OPERATOR_KEYS"))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> OperatorSignatures.parse("  ", "DRPLANE_OPERATOR_KEYS"))
                .hasMessageContaining("no operator signing key");
        assertThat(OperatorSignatures.parse(OLD, "test").toString()).doesNotContain(secret('a'));
    }

    private static String secret(char fill) {
        return Base64.getEncoder()
                .encodeToString(String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII));
    }
}
