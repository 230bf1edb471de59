package io.drplane.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for local stacks under test. */
public final class Ports {

    private Ports() {
    }

    /**
     * The first of {@code count} consecutive free loopback ports, below Linux's ephemeral range (32768 and up): a
     * local stack's simulation and clients bind ephemeral ports between this check and the services' start, and
     * one of them must not take a service's port.
     */
    public static int free(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 32_000 - count);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback ports");
    }
}
