package dev.cortado.node.config;

import dev.cortado.node.net.PeerKey;
import java.net.InetSocketAddress;

/** A CDN broker a node may use. */
public record BrokerEntry(PeerKey publicKey, InetSocketAddress address) {}
