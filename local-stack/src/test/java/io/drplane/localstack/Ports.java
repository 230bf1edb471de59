package io.drplane.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for local stacks under test. */
public final class Ports {

    /**
     * Every port handed out in this JVM: a stack asks for its ports in several calls before anything binds them, and
     * a later call must not return a port an earlier one gave (a service then found its port taken by the simulation).
     */
    private static final Set<Integer> handedOut = new HashSet<>();

    private Ports() {}

    /**
     * The first of {@code count} consecutive free loopback ports, below Linux's ephemeral range (32768 and up): a
     * local stack's simulation and clients bind ephemeral ports between this check and the services' start, and
     * one of them must not take a service's port.
     */
    public static synchronized int free(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 32_000 - count);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                if (handedOut.contains(port)) {
                    free = false;
                    break;
                }
                try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                for (int port = first; port < first + count; port++) {
                    handedOut.add(port);
                }
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback ports");
    }
}
