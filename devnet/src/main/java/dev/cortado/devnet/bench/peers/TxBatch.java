package dev.cortado.devnet.bench.peers;

import dev.cortado.node.bench.OfferedLoad;
import java.nio.ByteBuffer;

/**
 * One load-generator batch as a Ratis entry: each transaction as a 2-byte big-endian length and its bytes. The
 * namespace Cortado carries per transaction is left out: Ratis has no use for it.
 */
final class TxBatch {
    /** Larger than any payload the load generator sends; a longer one marks a corrupt entry. */
    static final int MAX_TX_BYTES = 0xFFFF;

    private TxBatch() {}

    static byte[] encode(OfferedLoad.Batch batch) {
        int txBytes = batch.pad().length;
        if (txBytes > MAX_TX_BYTES) {
            throw new IllegalArgumentException("transaction of " + txBytes + " bytes exceeds " + MAX_TX_BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate(batch.count() * (2 + txBytes));
        for (int k = 0; k < batch.count(); k++) {
            out.putShort((short) txBytes).put(batch.payload(k));
        }
        return out.array();
    }

    /** The number of transactions in an encoded batch; refuses an empty, truncated or trailing-byte one. */
    static int count(ByteBuffer in) {
        if (!in.hasRemaining()) {
            throw new IllegalArgumentException("empty batch");
        }
        int n = 0;
        while (in.hasRemaining()) {
            if (in.remaining() < 2) {
                throw new IllegalArgumentException("truncated length at transaction " + n + ": " + in.remaining() + " byte left");
            }
            int len = Short.toUnsignedInt(in.getShort());
            if (len == 0 || len > in.remaining()) {
                throw new IllegalArgumentException("transaction " + n + " declares " + len + " bytes, " + in.remaining() + " remain");
            }
            in.position(in.position() + len);
            n++;
        }
        return n;
    }
}
