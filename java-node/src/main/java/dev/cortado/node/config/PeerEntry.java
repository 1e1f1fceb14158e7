package dev.cortado.node.config;

import dev.cortado.node.net.PeerKey;
import java.net.InetSocketAddress;

/** One stake-table node: its BLS key, where its peers reach it, its stake and DA membership. */
public record PeerEntry(PeerKey publicKey, InetSocketAddress address, long stakeGwei, boolean da) {}
