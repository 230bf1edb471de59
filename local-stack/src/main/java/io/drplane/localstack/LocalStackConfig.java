package io.drplane.localstack;

import java.nio.file.Path;

/**
 * Where the local stack keeps its data and which loopback ports it uses.
 *
 * @param home       the drplane checkout (module build output is read from here)
 * @param dataDir    Kafka's log and the processes' logs; kept across runs so the event log survives a restart
 * @param plan       the plan every service reads
 * @param kafkaPort  the broker's client port; the controller listens on the next one
 * @param motoPort   the AWS emulator's port
 * @param firstServicePort services get consecutive ports from here
 * @param useMoto    false to skip the emulator (executors then run dry)
 * @param simPort    the simulated application's control API
 */
public record LocalStackConfig(
        Path home,
        Path dataDir,
        Path plan,
        int kafkaPort,
        int motoPort,
        int firstServicePort,
        boolean useMoto,
        int simPort) {

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The plan the services read: the user's, with the local stack's substitutions. */
    public Path localPlan() {
        return dataDir.resolve("plan.local.yml");
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }
}
