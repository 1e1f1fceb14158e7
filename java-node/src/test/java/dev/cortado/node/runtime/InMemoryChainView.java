package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.types.Bytes32;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a {@link ChainView} that pipeline tests share: genesis decided, leaves known by commitment as the
 * core would hold them, and the real incremental header accumulator. Tests add what they decide and how.
 */
abstract class InMemoryChainView implements ChainView {
    final Map<Bytes32, Leaf> leaves = new HashMap<>();
    final ChainCommitments commitments = ChainCommitments.genesis();

    InMemoryChainView() {
        Leaf g = Leaf.genesis(RuntimeFixtures.CHAIN_ID);
        leaves.put(g.commitment(), g);
    }

    @Override
    public Leaf knownLeaf(Bytes32 c) {
        return leaves.get(c);
    }

    @Override
    public long decidedCount() {
        return commitments.size();
    }

    @Override
    public Bytes32 decidedTip() {
        return commitments.tip();
    }

    @Override
    public Bytes32 blockCommRoot(List<Bytes32> ancestors) {
        return commitments.rootFor(ancestors);
    }
}
