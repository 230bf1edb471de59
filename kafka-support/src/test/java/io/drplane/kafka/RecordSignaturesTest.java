package io.drplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordSignaturesTest {

    private static final String TOPIC = "dr.operator.v1";
    private static final String OLD = "k1:" + secret('a');
    private static final String NEW = "k2:" + secret('b');
    private final byte[] value =
            "{\"type\":\"io.drplane.operator.switchover-requested.v1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldVerifyWhatItSigned() {
        RecordSignatures keys = RecordSignatures.parse(OLD, "test");
        Headers headers = new RecordHeaders();
        keys.sign(TOPIC, value, headers);

        assertThat(keys.verify(TOPIC, value, headers)).isEmpty();
        assertThat(new String(headers.lastHeader(RecordSignatures.HEADER).value(), StandardCharsets.US_ASCII))
                .startsWith("k1:");
    }

    @Test
    void shouldRefuseAnUnsignedRecordAsMissing() {
        var refusal = RecordSignatures.parse(OLD, "test").verify(TOPIC, value, new RecordHeaders());

        assertThat(refusal)
                .get()
                .extracting(RecordSignatures.Refusal::problem)
                .isEqualTo(RecordSignatures.Problem.MISSING);
        assertThat(refusal.get().message()).contains("no dr.signature header");
    }

    @Test
    void shouldRefuseAChangedValueAnotherTopicAndAnotherKey() {
        RecordSignatures keys = RecordSignatures.parse(OLD, "test");
        Headers headers = new RecordHeaders();
        keys.sign(TOPIC, value, headers);
        byte[] changed = value.clone();
        changed[5] ^= 1;

        assertThat(keys.verify(TOPIC, changed, headers))
                .get()
                .extracting(RecordSignatures.Refusal::message)
                .asString()
                .contains("does not match its content");
        assertThat(keys.verify("dr.health.v1", value, headers)).isPresent();
        Headers forged = new RecordHeaders();
        RecordSignatures.parse("k1:" + secret('m'), "mallory").sign(TOPIC, value, forged);
        assertThat(keys.verify(TOPIC, value, forged))
                .as("the same key id with another secret")
                .get()
                .extracting(RecordSignatures.Refusal::problem)
                .isEqualTo(RecordSignatures.Problem.INVALID);
        Headers unknown = new RecordHeaders();
        unknown.add(RecordSignatures.HEADER, "k9:AAAA".getBytes(StandardCharsets.US_ASCII));
        assertThat(keys.verify(TOPIC, value, unknown).orElseThrow().message()).contains("key 'k9'");
    }

    @Test
    void shouldSayWhatKindOfRecordAndWhoSignsIt() {
        RecordSignatures commands = RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, OLD, "test");

        assertThat(commands.verify("dr.commands.us-east-1.v1", value, new RecordHeaders())
                        .orElseThrow()
                        .message())
                .isEqualTo("the command carries no dr.signature header: only the coordinator writes commands, and it"
                        + " signs each one");
        Headers unknown = new RecordHeaders();
        unknown.add(RecordSignatures.HEADER, "k9:AAAA".getBytes(StandardCharsets.US_ASCII));
        assertThat(commands.verify("dr.commands.us-east-1.v1", value, unknown)
                        .orElseThrow()
                        .message())
                .isEqualTo("the command is signed with key 'k9', which is not among [k1] (DRPLANE_COMMAND_KEYS)");
    }

    @Test
    void shouldRotateByAddingTheNewKeyFirst() {
        Headers signedByOld = new RecordHeaders();
        RecordSignatures.parse(OLD, "before").sign(TOPIC, value, signedByOld);
        RecordSignatures during = RecordSignatures.parse(NEW + "," + OLD, "during");
        Headers signedByNew = new RecordHeaders();
        during.sign(TOPIC, value, signedByNew);

        assertThat(during.signingKeyId()).isEqualTo("k2");
        assertThat(during.verify(TOPIC, value, signedByOld))
                .as("records the old key signed still verify")
                .isEmpty();
        assertThat(RecordSignatures.parse(NEW, "after").verify(TOPIC, value, signedByNew))
                .isEmpty();
        assertThat(RecordSignatures.parse(NEW, "after").verify(TOPIC, value, signedByOld))
                .as("the old key, once removed, no longer verifies")
                .isPresent();
    }

    @Test
    void shouldRefuseWeakOrMalformedKeysNamingWhereButNeverTheSecret() {
        String shortSecret = Base64.getEncoder().encodeToString("short".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RecordSignatures.parse("k1:" + shortSecret, "/etc/drplane/operator-keys"))
                .hasMessage("/etc/drplane/operator-keys: the secret of key 'k1' is 5 bytes; at least 32 are needed"
                        + " (openssl rand -base64 32)")
                .message()
                .doesNotContain(shortSecret);
        assertThatThrownBy(() -> RecordSignatures.parse("k1:%%%%", "DRPLANE_OPERATOR_KEYS"))
                .hasMessageContaining("is not base64");
        assertThatThrownBy(() -> RecordSignatures.parse(OLD + "," + OLD, "DRPLANE_OPERATOR_KEYS"))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> RecordSignatures.parse("  ", "DRPLANE_OPERATOR_KEYS"))
                .hasMessage("no operator event signing key given (DRPLANE_OPERATOR_KEYS)");
        assertThat(RecordSignatures.parse(OLD, "test").toString()).doesNotContain(secret('a'));
    }

    private static String secret(char fill) {
        return Base64.getEncoder()
                .encodeToString(String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII));
    }
}
