package dev.cortado.settlement.port;

import dev.cortado.protocol.types.Bytes32;

/**
 * An L1 block as the node sees it: HotShot headers reference one, and the slot clock reads its time.
 *
 * @param number the block number
 * @param hash the block hash
 * @param timestampSec the block's timestamp, in unix seconds
 */
public record L1Head(long number, Bytes32 hash, long timestampSec) {
    public L1Head {
        if (number < 0) throw new IllegalArgumentException("L1 block number must be >= 0, got " + number);
        if (timestampSec < 0) throw new IllegalArgumentException("L1 timestamp must be >= 0, got " + timestampSec);
        java.util.Objects.requireNonNull(hash, "hash");
    }
}
