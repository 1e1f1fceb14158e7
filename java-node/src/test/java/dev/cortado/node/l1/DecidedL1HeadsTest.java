package dev.cortado.node.l1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.epoch.TableSnapshot;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DecidedL1Heads#of} over a real RocksDB store: decided headers' l1Heads, genesis, and a pruned chain. */
class DecidedL1HeadsTest {
    @Test
    void readsDecidedHeadersAndKnowsWhatWasPruned(@TempDir Path dir) {
        try (NodeStore store = new NodeStore(dir.resolve("chain"))) {
            for (long h = 1; h <= 10; h++) decide(store, h, 500 + h);
            DecidedL1Heads heads = DecidedL1Heads.of(store);
            assertEquals(OptionalLong.of(0), heads.l1HeadAt(0), "genesis names no L1 block");
            assertEquals(OptionalLong.of(504), heads.l1HeadAt(4));
            assertEquals(OptionalLong.empty(), heads.l1HeadAt(11), "not decided yet");
            assertEquals(0, heads.oldestKept());

            store.prune(3);
            assertEquals(8, heads.oldestKept());
            assertEquals(OptionalLong.of(509), heads.l1HeadAt(9));
            StakeTable genesis = StakeTable.of(List.of(new StakeEntry(TestKeys.keyPair(0).publicKey(), 1, true)));
            L1EpochTables tables = new L1EpochTables(new EpochSchedule(8, 3), genesis,
                    List.of(TestKeys.keyPair(0).publicKey()), heads, b -> new TableSnapshot.NoValidators(b), 4);
            assertEquals(new L1EpochTables.Lookup.Unavailable(1, "its snapshot height 4 was pruned from the decided"
                    + " chain (oldest kept 8)"), tables.lookup(1));
        }
    }

    /** The adapter reads only headers; the leaf and QC of these stored blocks stay empty. */
    private static void decide(NodeStore store, long h, long l1Head) {
        BlockHeader header = new BlockHeader(Height.of(h), View.of(h), Bytes32.ZERO, 1_000 * h, l1Head, Bytes32.ZERO,
                Bytes32.ZERO, Bytes32.ZERO, 0, Bytes32.ZERO);
        store.putDecided(new DecidedBlock(h, h, header.encode(), new byte[0], new byte[0],
                header.commitment(1).bytes()), null, null, List.of(), null);
    }
}
