package io.drplane.cli.localstack;

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
 */
public record LocalStackConfig(Path home, Path dataDir, Path plan, int kafkaPort, int motoPort, int firstServicePort, boolean useMoto) {

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }
}
