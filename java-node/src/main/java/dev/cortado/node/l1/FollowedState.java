package dev.cortado.node.l1;

import dev.cortado.settlement.port.L1Head;
import dev.cortado.settlement.port.WindowState;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Everything the follower knows, as persisted: the last followed L1 block, each tracked window's versions
 * (the L1 block from which each applies, ascending) and the active stake table in table order.
 */
public record FollowedState(L1Head followed, NavigableMap<Long, NavigableMap<Long, WindowState>> windows,
                            List<ActiveValidator> stakeTable) {
    public FollowedState {
        stakeTable = List.copyOf(stakeTable);
    }

    /** Counts window versions, for bounds checks and tests. */
    public int versionCount() {
        return windows.values().stream().mapToInt(Map::size).sum();
    }
}
