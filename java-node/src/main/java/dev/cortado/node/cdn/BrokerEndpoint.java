package dev.cortado.node.cdn;

import dev.cortado.node.net.PeerKey;
import java.net.InetSocketAddress;

/** A broker a node may use: its BLS key (authenticated in the handshake) and address. */
public record BrokerEndpoint(PeerKey key, InetSocketAddress address) {}
