package dev.cortado.node.runtime;

import dev.cortado.node.cdn.NodeNetwork;
import dev.cortado.node.cdn.Topic;
import dev.cortado.node.net.PeerKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The stake table's peers by index and the network that reaches them, with messages encoded on the way out. */
final class PeerLink {
    final int me;
    private final List<PeerKey> keys;
    private final Map<PeerKey, Integer> indexOf = new HashMap<>();
    private final NodeNetwork network;
    private final NodeCodec codec;

    PeerLink(int me, List<PeerKey> keys, NodeNetwork network, NodeCodec codec) {
        this.me = me;
        this.keys = List.copyOf(keys);
        for (int i = 0; i < keys.size(); i++) {
            indexOf.put(keys.get(i), i);
        }
        this.network = network;
        this.codec = codec;
    }

    int size() {
        return keys.size();
    }

    PeerKey key(int peer) {
        return keys.get(peer);
    }

    /** Index of a peer in the stake table, or null for a key outside it. */
    Integer indexOf(PeerKey key) {
        return indexOf.get(key);
    }

    NodeCodec codec() {
        return codec;
    }

    NodeNetwork network() {
        return network;
    }

    void send(int peer, NodeMessage m) {
        network.send(keys.get(peer), codec.encode(m));
    }

    /** Over the direct mesh only (large answers that a broker need not carry). */
    void sendDirect(int peer, NodeMessage m) {
        network.sendDirect(keys.get(peer), codec.encode(m));
    }

    void broadcast(Topic topic, NodeMessage m) {
        network.broadcast(topic, codec.encode(m));
    }

    boolean connected(int peer) {
        return network.connectedPeers().contains(keys.get(peer));
    }
}
