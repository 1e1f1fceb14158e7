package dev.cortado.node.l1;

import dev.cortado.settlement.port.L1Head;
import dev.cortado.settlement.port.WindowState;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Everything the follower knows, as persisted: the last followed L1 block, each tracked window's versions
 * (the L1 block from which each applies, ascending), the active stake table in table order, and
 * LightClient.sol's finalized state at the followed block (null when no light client is followed, or before
 * it was deployed). Only the latest light-client state is kept: it only grows, and it is all the
 * confirmation levels need.
 */
public record FollowedState(L1Head followed, NavigableMap<Long, NavigableMap<Long, WindowState>> windows,
                            List<ActiveValidator> stakeTable, LightClientOnL1 lightClient) {
    public FollowedState {
        stakeTable = List.copyOf(stakeTable);
    }

    public FollowedState(L1Head followed, NavigableMap<Long, NavigableMap<Long, WindowState>> windows,
                         List<ActiveValidator> stakeTable) {
        this(followed, windows, stakeTable, null);
    }

    /** Counts window versions, for bounds checks and tests. */
    public int versionCount() {
        return windows.values().stream().mapToInt(Map::size).sum();
    }
}
