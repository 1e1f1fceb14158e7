package dev.cortado.node.l1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.storage.StorageException;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.epoch.ValidatorEvent;
import dev.cortado.protocol.epoch.ValidatorLedger;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link L1EpochTables} with its tables kept in a real RocksDB store ({@code NodeStore.epochTables()}): a restart
 * resumes from the store without reading L1 or the decided chain again, old epochs outlive the memory window and
 * the pruned snapshot blocks, and a data directory of another network is refused. Epochs of 8 blocks, lead 3:
 * epoch e's snapshot is height 8e − 4, decided here as L1 block 100 + 10e; validators 0..3 at genesis, one more
 * joins before each snapshot.
 */
class StoredEpochTablesTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final List<BlsPublicKey> UNIVERSE = IntStream.range(0, 10).mapToObj(StoredEpochTablesTest::key).toList();
    private static final StakeTable GENESIS = table(0, 1, 2, 3);
    private static final int EPOCHS = 5;

    @Test
    void aRestartResumesFromTheStoredTablesWithoutReadingL1OrTheChainAgain(@TempDir Path dir) {
        List<Bytes32> derived = new ArrayList<>();
        List<BitSet> daMembers = new ArrayList<>();
        try (NodeStore store = new NodeStore(dir)) {
            L1EpochTables tables = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, chain(), ledger()::tableAt, 16,
                    store.epochTables());
            for (long e = 0; e <= EPOCHS; e++) {
                derived.add(tables.protocolTable(e).orElseThrow().commitment());
                daMembers.add(tables.table(e).orElseThrow().daMembers());
            }
            BitSet even = new BitSet();
            for (int k = 0; k <= 8; k += 2) even.set(k);
            assertEquals(even, daMembers.get(EPOCHS), "L1's isDa at each key's universe index");
            assertEquals(table(0, 1, 2, 3, 4, 5, 6, 7, 8).commitment(), derived.get(EPOCHS), "one joiner per epoch");
            assertEquals(OptionalLong.of(EPOCHS), store.epochTables().highest());
        }
        try (NodeStore store = new NodeStore(dir)) {
            DecidedL1Heads pruned = new DecidedL1Heads() {
                @Override
                public OptionalLong l1HeadAt(long height) {
                    return height > SCHEDULE.snapshotHeight(EPOCHS) ? OptionalLong.of(100 + 10 * (EPOCHS + 1)) : OptionalLong.empty();
                }

                @Override
                public long oldestKept() {
                    return SCHEDULE.snapshotHeight(EPOCHS) + 1;
                }
            };
            List<Long> l1Reads = new ArrayList<>();
            ValidatorLedger ledger = ledger();
            L1EpochTables tables = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, pruned, b -> {
                l1Reads.add(b);
                return ledger.tableAt(b);
            }, 2, store.epochTables());
            assertEquals(EPOCHS, tables.highestKnownEpoch());
            for (long e = 0; e <= EPOCHS; e++) {
                assertEquals(derived.get((int) e), tables.protocolTable(e).orElseThrow().commitment(), "epoch " + e);
                assertEquals(derived.get((int) e), tables.table(e).orElseThrow().commitment(), "epoch " + e);
                assertEquals(daMembers.get((int) e), tables.table(e).orElseThrow().daMembers(), "DA flags of epoch " + e);
            }
            assertEquals(List.of(), l1Reads, "every stored epoch, below the 2 kept in memory too, came from the store");
            assertInstanceOf(L1EpochTables.Lookup.Known.class, tables.lookup(EPOCHS + 1), "the next one is derived");
            assertEquals(List.of(100L + 10 * (EPOCHS + 1)), l1Reads);
            assertEquals(OptionalLong.of(EPOCHS + 1), store.epochTables().highest());
        }
    }

    @Test
    void withoutTheStoreTheSameRestartCannotAnswerThePrunedEpochs() {
        DecidedL1Heads pruned = new DecidedL1Heads() {
            @Override
            public OptionalLong l1HeadAt(long height) {
                return OptionalLong.empty();
            }

            @Override
            public long oldestKept() {
                return 100;
            }
        };
        L1EpochTables tables = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, pruned, ledger()::tableAt, 16);
        assertInstanceOf(L1EpochTables.Lookup.Unavailable.class, tables.lookup(1));
    }

    @Test
    void aDataDirectoryOfAnotherNetworkOrWithUnconfiguredKeysIsRefused(@TempDir Path dir) {
        try (NodeStore store = new NodeStore(dir)) {
            new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, chain(), ledger()::tableAt, 16, store.epochTables()).lookup(2);
            StorageException other = assertThrows(StorageException.class, () -> new L1EpochTables(SCHEDULE,
                    table(0, 1, 2), UNIVERSE, chain(), ledger()::tableAt, 16, store.epochTables()));
            assertEquals("the stored stake table of epoch 0 (commitment " + GENESIS.commitment() + ") is not this"
                    + " network's genesis table (" + table(0, 1, 2).commitment() + "): the data directory belongs to"
                    + " another network", other.getMessage());
            List<BlsPublicKey> fewer = UNIVERSE.subList(0, 5);
            StorageException foreign = assertThrows(StorageException.class, () -> new L1EpochTables(SCHEDULE,
                    GENESIS, fewer, chain(), ledger()::tableAt, 16, store.epochTables()));
            assertEquals("the stored stake table of epoch 2 holds key " + key(5).toHex() + " (entry 5) that is none of"
                    + " the 5 configured peers: this network cannot count its votes", foreign.getMessage());
        }
    }

    /** Every snapshot height is decided, at L1 block 100 + 10e. */
    private static DecidedL1Heads chain() {
        return h -> OptionalLong.of(100 + 10 * SCHEDULE.epochOf(h + SCHEDULE.snapshotLeadBlocks() + 1));
    }

    /** Keys 0..3 at block 100; key 3 + e joins at block 100 + 10e − 5, before epoch e's snapshot. */
    private static ValidatorLedger ledger() {
        List<ValidatorEvent> h = new ArrayList<>();
        for (int i = 0; i < 4; i++) h.add(join(100, i, i + 1, i));
        for (int e = 1; e <= EPOCHS + 1; e++) h.add(join(100 + 10 * e - 5, 0, 4 + e, 3 + e));
        ValidatorLedger ledger = new ValidatorLedger(100);
        ledger.append(h, 1_000);
        return ledger;
    }

    private static ValidatorEvent.Joined join(long block, int logIndex, long id, int key) {
        return new ValidatorEvent.Joined(block, logIndex, id, key(key).toEip2537(), 10, isDa(key));
    }

    private static StakeTable table(int... keys) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int k : keys) entries.add(new StakeEntry(key(k), 10, isDa(k)));
        return StakeTable.of(entries);
    }

    /** Even keys register as DA members, odd ones not (the genesis table agrees). */
    private static boolean isDa(int key) {
        return key % 2 == 0;
    }

    private static BlsPublicKey key(int i) {
        return TestKeys.keyPair(i).publicKey();
    }
}
