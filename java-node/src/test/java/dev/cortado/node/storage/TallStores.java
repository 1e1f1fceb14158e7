package dev.cortado.node.storage;

import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.util.function.LongFunction;

/** Test fixture: header trees of any height in seconds, written in batches without blocks (no consensus). */
public final class TallStores {
    private TallStores() {
    }

    /** Distinct stand-ins for header commitments, made without hashing so that only the tree hashes. */
    public static Bytes32 header(long h) {
        return Bytes32.of(ByteBuffer.allocate(32).putLong(0, h).putLong(24, ~h).array());
    }

    /** Grows {@code store}'s header tree to {@code count} headers (genesis included) with {@code leafAt}. */
    public static void fill(NodeStore store, long count, LongFunction<Bytes32> leafAt) {
        store.headers().fill(count, leafAt);
    }
}
