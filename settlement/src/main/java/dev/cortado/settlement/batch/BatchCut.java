package dev.cortado.settlement.batch;

import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchFrame;
import dev.cortado.settlement.batch.codec.CodecId;
import java.util.List;

/**
 * The size half of the batch close rule, on the encoded frame (what the blobs or the calldata
 * actually carry), not on raw bytes: while the frame of every waiting block fits the limit the batch
 * may still grow; once it overflows, the batch is the longest prefix whose frame fits. With the limit
 * at a blob's frame capacity, a closed batch wastes at most the last block's share of the blob.
 */
final class BatchCut {
    private BatchCut() {}

    sealed interface Result {
        byte[] frame();

        int blocks();

        /** Every waiting block fits; the age rule or the block cap decides whether to post now. */
        record Fits(int blocks, byte[] frame) implements Result {
        }

        /** The waiting blocks overflow the limit; {@code blocks} of them fit (at least one, however large). */
        record Overflow(int blocks, byte[] frame) implements Result {
        }
    }

    static Result cut(long first, List<BatchContent.Block> blocks, int limitBytes, int level) {
        if (blocks.isEmpty()) throw new IllegalArgumentException("nothing to cut");
        byte[] all = frame(first, blocks, blocks.size(), level);
        if (all.length <= limitBytes) return new Result.Fits(blocks.size(), all);
        // Bisection on the block count; one block always goes, however large (the inbox takes any size).
        int lo = 1;
        int hi = blocks.size();
        byte[] best = null;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            byte[] f = frame(first, blocks, mid, level);
            if (f.length <= limitBytes) {
                lo = mid;
                best = f;
            } else {
                hi = mid;
            }
        }
        return new Result.Overflow(lo, best != null ? best : frame(first, blocks, lo, level));
    }

    static byte[] frame(long first, List<BatchContent.Block> blocks, int count, int level) {
        BatchContent c = new BatchContent(first, first + count - 1, blocks.subList(0, count));
        return BatchFrame.encode(c, CodecId.ETH_COLUMNS, level);
    }
}
