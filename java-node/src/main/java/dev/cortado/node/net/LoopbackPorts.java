package dev.cortado.node.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 for processes that must be told their port before they bind it (a devnet's nodes, whose peers
 * are configured up front; Anvil). The usual trick, bind port 0 and close, hands back a port from the kernel's
 * ephemeral range, and until the real bind any outgoing connection may be given that same port as its local end:
 * the node then fails with "Address already in use". Ports here are picked at random below the ephemeral range,
 * which outgoing connections and port-0 listeners never use, and checked free by a bind.
 */
public final class LoopbackPorts {
    /** Linux's default when the kernel's own range cannot be read. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final int SPAN = 12_000;
    private static final int LOWEST = 1_024;
    private static final int ATTEMPTS = 200;

    private LoopbackPorts() {
    }

    /** A port that was free on 127.0.0.1 a moment ago and is outside the ephemeral range. */
    public static int pick() {
        int high = ephemeralLow();
        int low = Math.max(LOWEST, high - SPAN);
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // in use: draw again
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 in " + low + ".." + (high - 1) + " after " + ATTEMPTS + " tries");
    }

    static int ephemeralLow() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            return low > LOWEST + 1_000 ? low : DEFAULT_EPHEMERAL_LOW;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }
}
