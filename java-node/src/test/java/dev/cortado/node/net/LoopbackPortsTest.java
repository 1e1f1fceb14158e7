package dev.cortado.node.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Picked ports lie below the kernel's ephemeral range, where outgoing connections never land, and are bindable. */
class LoopbackPortsTest {
    @Test
    void picksBindablePortsThatNoOutgoingConnectionCanTake() throws IOException {
        int ephemeralLow = LoopbackPorts.ephemeralLow();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket c = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                    clients.add(c);
                    assertTrue(c.getLocalPort() >= ephemeralLow, "an outgoing connection got local port " + c.getLocalPort());
                }
                for (int i = 0; i < 50; i++) {
                    int port = LoopbackPorts.pick();
                    assertTrue(port >= 1024 && port < ephemeralLow, "port " + port + " is not below " + ephemeralLow);
                    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                        assertTrue(s.isBound());
                    }
                }
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }
}
