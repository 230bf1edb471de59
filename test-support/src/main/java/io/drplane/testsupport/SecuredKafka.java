package io.drplane.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft broker that trusts nobody: SASL on every listener (SCRAM-SHA-512 for drplane's principals, PLAIN for
 * its own admin), the StandardAuthorizer, and {@code allow.everyone.if.no.acl.found=false}, so a principal can do only
 * what an ACL grants it. For the tests about who may write what.
 */
public final class SecuredKafka implements AutoCloseable {

    /** The broker's own super user (inter-broker and controller traffic, and tests' admin). */
    public static final String ADMIN = "plain-admin";

    private static final String ADMIN_PASSWORD = "plain-admin-secret";

    private final KafkaClusterTestKit cluster;

    private SecuredKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static SecuredKafka start() {
        try {
            Path dir = Files.createTempDirectory("drplane-secured-kafka");
            KafkaClusterTestKit cluster = SharedKafka.singleNode(
                            new TestKitNodes.Builder(SharedKafka.productionBootstrap())
                                    .setCombined(true)
                                    .setNumBrokerNodes(1)
                                    .setNumControllerNodes(1)
                                    .setBaseDirectory(dir)
                                    .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                                    .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                                    .build())
                    .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                    .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .setConfigProp("super.users", "User:" + ADMIN)
                    .setConfigProp("allow.everyone.if.no.acl.found", "false")
                    .setDeleteOnClose(true)
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new SecuredKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the secured Kafka broker: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Connection settings of the broker's super user. */
    public Map<String, Object> adminConnection() {
        return connection("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule", ADMIN, ADMIN_PASSWORD);
    }

    /** kcat's (librdkafka's) arguments for the super user: {@code -X name=value} pairs. */
    public List<String> adminKcatArguments() {
        return List.of(
                "-X",
                "security.protocol=SASL_PLAINTEXT",
                "-X",
                "sasl.mechanism=PLAIN",
                "-X",
                "sasl.username=" + ADMIN,
                "-X",
                "sasl.password=" + ADMIN_PASSWORD);
    }

    /**
     * Creates a SCRAM-SHA-512 user with a random password (it has no ACL yet) and answers its connection settings, as
     * a service would be given them.
     */
    public Map<String, Object> user(String name) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        setPassword(name, password);
        return connection("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule", name, password);
    }

    /** The connection settings of a user with a password of one's choosing (right or wrong). */
    public Map<String, Object> userWithPassword(String name, String password) {
        return connection("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule", name, password);
    }

    private void setPassword(String name, String password) {
        Map<String, Object> admin = new HashMap<>(adminConnection());
        admin.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            client.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the SCRAM user " + name + ": " + e.getMessage(), e);
        }
        awaitAuthenticates(name, password);
    }

    /**
     * The controller has the credential once the upsert returns; the broker learns it from the metadata log a moment
     * later. A service that connects in between fails authentication, which is fatal to it (rightly: in production a
     * wrong password does not heal), so a test waits until the broker takes the password.
     */
    private void awaitAuthenticates(String name, String password) {
        Map<String, Object> user = new HashMap<>(
                connection("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule", name, password));
        user.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Admin client = Admin.create(user)) {
                client.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException)) {
                    return; // authenticated; what it may do is the ACLs' business
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not connect as " + name + ": " + e.getMessage(), e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not take the password of " + name + " within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static Map<String, Object> connection(String mechanism, String module, String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM,
                mechanism,
                SaslConfigs.SASL_JAAS_CONFIG,
                module + " required username=\"" + user + "\" password=\"" + password + "\";");
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
