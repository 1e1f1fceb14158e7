package dev.cortado.node.runtime;

import dev.cortado.protocol.cert.SignerBitmap;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The signers of the newest DA certificates this node formed or accepted, by block height: who certified recent
 * blocks available, which shows a committee change (a joiner's bit, an exited member's absence) without a store
 * column. Bounded to {@link #CAPACITY}; written on the event thread, read from any.
 */
final class RecentDaCerts {
    static final int CAPACITY = 256;

    /** One certificate: the height of its block and its signers over the universe. */
    record Signed(long height, SignerBitmap signers) {
    }

    private final ArrayDeque<Signed> newest = new ArrayDeque<>();

    synchronized void add(long height, SignerBitmap signers) {
        if (newest.size() == CAPACITY) {
            newest.removeFirst();
        }
        newest.addLast(new Signed(height, signers));
    }

    synchronized List<Signed> snapshot() {
        return List.copyOf(newest);
    }
}
