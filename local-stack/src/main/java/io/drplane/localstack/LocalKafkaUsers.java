package io.drplane.localstack;

import io.drplane.kafka.KafkaClientConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may connect to the local stack's broker, with a password new at each start: the broker's admin (the stack
 * itself, game days and the operator's tools in this sandbox) and one principal per service, each with only the ACLs
 * drplane ships for it. The broker takes SASL/PLAIN on every listener and authorizes by ACL alone.
 */
public final class LocalKafkaUsers {

    static final String ADMIN = "drplane-admin";
    private static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private final Map<String, String> passwords = new LinkedHashMap<>();

    LocalKafkaUsers() {
        passwords.put(ADMIN, random());
    }

    /** The principal's name, its password made on first use. */
    synchronized String user(String name) {
        passwords.computeIfAbsent(name, n -> random());
        return name;
    }

    /** The broker's JAAS line for a listener: its own login as the admin, and every user it accepts. */
    synchronized String brokerJaas() {
        StringBuilder jaas = new StringBuilder(
                PLAIN + " required username=\"" + ADMIN + "\" password=\"" + passwords.get(ADMIN) + "\"");
        passwords.forEach((user, password) -> jaas.append(" user_")
                .append(user)
                .append("=\"")
                .append(password)
                .append('"'));
        return jaas.append(';').toString();
    }

    /** A client's connection settings as the user, in Kafka's property names. */
    synchronized Map<String, String> connection(String user) {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config",
                        PLAIN + " required username=\"" + user + "\" password=\"" + passwords.get(user) + "\";");
    }

    /** The admin's client configuration, for the stack's own clients and the tests. */
    KafkaClientConfig admin(String bootstrapServers) {
        return KafkaClientConfig.plaintext(bootstrapServers).withConnection(connection(ADMIN));
    }

    /** Writes the user's client properties file (mode 600), as a service's DRPLANE_KAFKA_PROPERTIES names it. */
    synchronized Path writeProperties(Path dir, String user, String bootstrapServers) {
        StringBuilder text = new StringBuilder("# drplane up: " + user + " on the local broker; new at each start\n");
        text.append("bootstrap.servers=").append(bootstrapServers).append('\n');
        connection(user)
                .forEach((name, value) ->
                        text.append(name).append('=').append(value).append('\n'));
        return write(dir.resolve(user + ".properties"), text.toString());
    }

    /** A kcat configuration file ({@code kcat -F FILE}) for the admin. */
    synchronized Path writeKcatConfig(Path dir, String bootstrapServers) {
        return write(
                dir.resolve("kcat.conf"),
                "bootstrap.servers=" + bootstrapServers + "\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanisms=PLAIN\n"
                        + "sasl.username=" + ADMIN + "\nsasl.password=" + passwords.get(ADMIN) + "\n");
    }

    /** Every password, for a test that looks for them where they must not be. */
    synchronized Map<String, String> passwords() {
        return Map.copyOf(passwords);
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
