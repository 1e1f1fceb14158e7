package dev.cortado.node.runtime;

import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.merkle.MerkleAccumulator;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;

/**
 * Header commitments of the decided chain, for {@code blockCommRoot}. Height 0 is the genesis
 * block, whose header commitment is by convention {@code bytes32(0)} (the genesis leaf's block
 * commitment), so header {@code h} commits to {@code [0, c1, .., c(h-1)]}. A block on an undecided
 * parent also covers the undecided ancestors, computed on a copy.
 */
final class ChainCommitments {
  private final List<Bytes32> decided = new ArrayList<>();
  private final MerkleAccumulator tree = new MerkleAccumulator();

  /** @param stored the stored header commitments from height 1 on */
  ChainCommitments(List<Bytes32> stored) {
    append(Bytes32.ZERO);
    stored.forEach(this::append);
  }

  void append(Bytes32 headerCommitment) {
    decided.add(headerCommitment);
    tree.append(headerCommitment);
  }

  /** Number of decided headers, genesis included: the height the next decided block has. */
  long size() {
    return decided.size();
  }

  Bytes32 at(long height) {
    return decided.get(Math.toIntExact(height));
  }

  /** The blockCommRoot for a header at height {@code size() + pending.size()}. */
  Bytes32 rootFor(List<Bytes32> pendingAscending) {
    if (pendingAscending.isEmpty()) {
      return BlockCommitmentLog.blockCommRoot(tree.root(), decided.size());
    }
    List<Bytes32> all = new ArrayList<>(decided.size() + pendingAscending.size());
    all.addAll(decided);
    all.addAll(pendingAscending);
    return BlockCommitmentLog.blockCommRoot(MerkleAccumulator.of(all).root(), all.size());
  }
}
