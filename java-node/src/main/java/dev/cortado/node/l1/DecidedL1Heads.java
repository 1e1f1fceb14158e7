package dev.cortado.node.l1;

import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.block.BlockHeader;
import java.util.OptionalLong;

/**
 * The {@code l1Head} of each decided block: the L1 block an epoch's snapshot height fixes. Only decided
 * headers count, so every replica reads the same L1 block for the same epoch.
 */
public interface DecidedL1Heads {
    /** The {@code l1Head} of the decided block at {@code height}; empty while that height is not decided here. */
    OptionalLong l1HeadAt(long height);

    /** The lowest height still answerable: heights below it were decided but are no longer kept. */
    default long oldestKept() {
        return 0;
    }

    /**
     * Reads the node's store. Height 0 is the genesis block, which the store does not hold; its {@code l1Head}
     * is 0 by convention (see {@code ChainView#decidedL1Head}).
     */
    static DecidedL1Heads of(NodeStore store) {
        return new DecidedL1Heads() {
            @Override
            public OptionalLong l1HeadAt(long height) {
                if (height == 0) return OptionalLong.of(0);
                return store.decided(height).map(b -> OptionalLong.of(BlockHeader.decode(b.header()).l1Head()))
                        .orElse(OptionalLong.empty());
            }

            @Override
            public long oldestKept() {
                return store.pruneFloor();
            }
        };
    }
}
