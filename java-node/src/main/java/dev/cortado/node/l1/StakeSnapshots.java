package dev.cortado.node.l1;

import dev.cortado.protocol.epoch.TableSnapshot;

/** StakeTable.sol's state at an L1 block, as far as this node followed it ({@link L1Follower} in the node). */
@FunctionalInterface
public interface StakeSnapshots {
    /** The table at the end of {@code l1Block}; {@code NotYetSeen} beyond what was followed. */
    TableSnapshot stakeTableAt(long l1Block);
}
