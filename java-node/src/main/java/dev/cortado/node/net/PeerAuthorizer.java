package dev.cortado.node.net;

import java.util.Set;

/** Decides which authenticated keys may hold a session on a given listener or connection. */
@FunctionalInterface
public interface PeerAuthorizer {
    boolean isAuthorized(PeerKey key);

    static PeerAuthorizer anyOf(Set<PeerKey> keys) {
        Set<PeerKey> copy = Set.copyOf(keys);
        return copy::contains;
    }

    static PeerAuthorizer exactly(PeerKey expected) {
        return expected::equals;
    }
}
