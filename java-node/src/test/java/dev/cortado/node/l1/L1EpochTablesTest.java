package dev.cortado.node.l1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.epoch.ValidatorEvent;
import dev.cortado.protocol.epoch.ValidatorLedger;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link L1EpochTables} over a real {@link ValidatorLedger} fed StakeTable events, and a decided chain fed
 * height by height. Epochs of 8 blocks with a lead of 3: the table of epoch e is read at the l1Head of height
 * 8e − 4, which this test decides as L1 block 95 + 10e.
 */
class L1EpochTablesTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final long STAKE = 10;
    /** Universe: keys 0..5; key 9 is registered on L1 but is no configured peer. */
    private static final List<BlsPublicKey> UNIVERSE = IntStream.range(0, 6).mapToObj(L1EpochTablesTest::key).toList();
    private static final StakeTable GENESIS = table(0, 1, 2, 3);
    private static final int EPOCHS = 6;

    /**
     * L1 history: at 100 ids 1..4 = keys 0..3 join; 110: key 4 joins; 120: key 0 leaves; 130: key 9 joins; 140:
     * it leaves, then everyone does; 150: key 5 joins.
     */
    private static List<ValidatorEvent> history() {
        List<ValidatorEvent> h = new ArrayList<>();
        for (int i = 0; i < 4; i++) h.add(join(100, i, i + 1, i, STAKE));
        h.add(join(110, 0, 5, 4, 2 * STAKE));
        h.add(new ValidatorEvent.Left(120, 0, 1));
        h.add(join(130, 0, 6, 9, STAKE));
        h.add(new ValidatorEvent.Left(140, 0, 6));
        for (int id = 2; id <= 5; id++) h.add(new ValidatorEvent.Left(140, id, id));
        h.add(join(150, 0, 7, 5, STAKE));
        return h;
    }

    private static long snapshotL1Block(long epoch) {
        return 95 + 10 * epoch;
    }

    @Test
    void followsJoinsAndExitsAndKeepsTheTableOverAForeignKeyOrAnEmptyL1() {
        ValidatorLedger ledger = new ValidatorLedger(100);
        ledger.append(history(), 200);
        TreeMap<Long, Long> heads = new TreeMap<>();
        for (long e = 1; e <= EPOCHS; e++) heads.put(SCHEDULE.snapshotHeight(e), snapshotL1Block(e));
        L1EpochTables tables = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, decided(heads), ledger::tableAt, 16);

        assertStakes(tables, 0, STAKE, STAKE, STAKE, STAKE, 0, 0);
        assertEquals(GENESIS.commitment(), tables.table(1).orElseThrow().commitment(), "the same four, in the same order");
        assertStakes(tables, 2, STAKE, STAKE, STAKE, STAKE, 2 * STAKE, 0);
        assertEquals(table(0, 1, 2, 3, 4).commitment(), tables.table(2).orElseThrow().commitment());
        assertStakes(tables, 3, 0, STAKE, STAKE, STAKE, 2 * STAKE, 0);

        L1EpochTables.Lookup.Known foreign = assertInstanceOf(L1EpochTables.Lookup.Known.class, tables.lookup(4));
        assertSameTable(tables.table(3).orElseThrow(), foreign.table(), "a key outside the universe keeps the table");
        assertSame(tables.protocolTable(3).orElseThrow(), foreign.protocolTable());
        assertEquals("StakeTable.sol at L1 block 135 (the l1Head of height 28) cannot be used: StakeTable.sol's table holds"
                + " key " + key(9).toHex() + " (entry 4) that is none of the 6 configured peers: this network cannot count"
                + " its votes", foreign.keptBecause().orElseThrow());

        L1EpochTables.Lookup.Known empty = assertInstanceOf(L1EpochTables.Lookup.Known.class, tables.lookup(5));
        assertSameTable(foreign.table(), empty.table(), "an empty L1 keeps the table");
        assertEquals("StakeTable.sol has no validators at L1 block 145 (the l1Head of height 36)",
                empty.keptBecause().orElseThrow());
        assertStakes(tables, 6, 0, 0, 0, 0, 0, STAKE);

        for (long e = 0; e <= EPOCHS; e++) {
            StakeTable p = tables.protocolTable(e).orElseThrow();
            assertEquals(p.commitment(), tables.table(e).orElseThrow().commitment(), "epoch " + e);
        }
        assertEquals(table(1, 2, 3, 4).commitment(), tables.protocolTable(3).orElseThrow().commitment(),
                "L1 order: validator ids, so the joiner stays last");
        assertEquals(new L1EpochTables.Lookup.Pending(7, "its snapshot height 52 is not decided yet"), tables.lookup(7));
    }

    @Test
    void anEpochIsEmptyUntilItsSnapshotIsDecidedAndFollowedThenPresent() {
        ValidatorLedger ledger = new ValidatorLedger(100);
        List<ValidatorEvent> h = history();
        ledger.append(h.subList(0, 4), 109);
        TreeMap<Long, Long> heads = new TreeMap<>();
        L1EpochTables tables = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, decided(heads), ledger::tableAt, 16);

        assertEquals(new L1EpochTables.Lookup.Pending(1, "its snapshot height 4 is not decided yet"), tables.lookup(1));
        heads.put(4L, snapshotL1Block(1));
        heads.put(12L, snapshotL1Block(2));
        assertTrue(tables.table(1).isPresent());
        assertEquals(new L1EpochTables.Lookup.Pending(2, "L1 block 115 (the l1Head of height 12) is not followed yet"
                + " (followed to 109)"), tables.lookup(2));
        assertEquals(new L1EpochTables.Lookup.Pending(3, "epoch 3 needs epoch 2 first: L1 block 115 (the l1Head of"
                + " height 12) is not followed yet (followed to 109)"), tables.lookup(3));
        ledger.append(h.subList(4, 5), 115);
        assertStakes(tables, 2, STAKE, STAKE, STAKE, STAKE, 2 * STAKE, 0);
        assertEquals(2, tables.highestKnownEpoch());
    }

    @Test
    void twoReplicasFollowingAtDifferentPacesAgreeOnEveryEpoch() {
        ValidatorLedger fast = new ValidatorLedger(100);
        fast.append(history(), 200);
        TreeMap<Long, Long> allHeads = new TreeMap<>();
        for (long e = 1; e <= EPOCHS; e++) allHeads.put(SCHEDULE.snapshotHeight(e), snapshotL1Block(e));
        L1EpochTables a = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, decided(allHeads), fast::tableAt, 16);

        ValidatorLedger slow = new ValidatorLedger(100);
        TreeMap<Long, Long> slowHeads = new TreeMap<>();
        L1EpochTables b = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, decided(slowHeads), slow::tableAt, 16);
        List<ValidatorEvent> h = history();
        int fed = 0;
        // L1 followed one block at a time, each asked about every epoch as it goes (and far ahead).
        for (long block = 100; block <= 200; block++) {
            List<ValidatorEvent> now = new ArrayList<>();
            while (fed < h.size() && h.get(fed).l1Block() == block) now.add(h.get(fed++));
            slow.append(now, block);
            for (long e = 1; e <= EPOCHS; e++) {
                if (snapshotL1Block(e) <= block + 2) slowHeads.put(SCHEDULE.snapshotHeight(e), snapshotL1Block(e));
            }
            for (long e = 0; e <= EPOCHS + 3; e++) {
                if (b.table(e).isPresent()) {
                    assertSameTable(a.table(e).orElseThrow(), b.table(e).orElseThrow(), "epoch " + e + " at L1 block " + block);
                }
            }
        }
        for (long e = 0; e <= EPOCHS; e++) {
            assertSameTable(a.table(e).orElseThrow(), b.table(e).orElseThrow(), "epoch " + e);
            assertEquals(a.protocolTable(e).orElseThrow().entries(), b.protocolTable(e).orElseThrow().entries());
        }
    }

    @Test
    void aPrunedSnapshotIsUnavailableAndSoIsEveryLaterEpoch() {
        ValidatorLedger ledger = new ValidatorLedger(100);
        ledger.append(history(), 200);
        ledger.pruneThrough(120);
        TreeMap<Long, Long> heads = new TreeMap<>();
        for (long e = 1; e <= EPOCHS; e++) heads.put(SCHEDULE.snapshotHeight(e), snapshotL1Block(e));
        L1EpochTables tables = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, decided(heads), ledger::tableAt, 16);
        String why = "the stake history at L1 block 105 (the l1Head of height 4) was pruned (oldest kept 120)";
        assertEquals(new L1EpochTables.Lookup.Unavailable(1, why), tables.lookup(1));
        assertEquals(new L1EpochTables.Lookup.Unavailable(3, "epoch 3 needs epoch 1 first: " + why), tables.lookup(3));
        assertTrue(tables.table(1).isEmpty());
    }

    @Test
    void keepsEpochZeroAndTheNewestEpochsOnly() {
        ValidatorLedger ledger = new ValidatorLedger(100);
        ledger.append(history(), 200);
        TreeMap<Long, Long> heads = new TreeMap<>();
        for (long e = 1; e <= EPOCHS; e++) heads.put(SCHEDULE.snapshotHeight(e), snapshotL1Block(e));
        L1EpochTables tables = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, decided(heads), ledger::tableAt, 2);
        assertTrue(tables.table(EPOCHS).isPresent());
        assertEquals(new L1EpochTables.Lookup.Unavailable(4, "epoch 4 is older than the 2 epochs kept (newest 6)"),
                tables.lookup(4));
        assertTrue(tables.table(5).isPresent());
        assertEquals(GENESIS, tables.protocolTable(0).orElseThrow());
        assertEquals(new L1EpochTables.Lookup.Unavailable(-1, "no epoch -1 (epochs are 0.." + SCHEDULE.maxEpoch() + ")"),
                tables.lookup(-1));
    }

    @Test
    void aSnapshotAtTheGenesisBlockKeepsTheGenesisTable() {
        EpochSchedule tight = new EpochSchedule(4, 3);
        L1EpochTables tables = new L1EpochTables(tight, GENESIS, UNIVERSE, decided(new TreeMap<>()),
                b -> { throw new AssertionError("the genesis block read no L1"); }, 4);
        L1EpochTables.Lookup.Known k = assertInstanceOf(L1EpochTables.Lookup.Known.class, tables.lookup(1));
        assertEquals(GENESIS.commitment(), k.table().commitment());
        assertEquals("its snapshot is the genesis block, which read no L1", k.keptBecause().orElseThrow());
    }

    @Test
    void aSnapshotBlockStampedBeforeItsLeaderAdoptedAnL1BlockKeepsTheTable() {
        ValidatorLedger ledger = new ValidatorLedger(100);
        ledger.append(history(), 200);
        TreeMap<Long, Long> heads = new TreeMap<>(java.util.Map.of(4L, 0L, 12L, snapshotL1Block(2)));
        L1EpochTables tables = new L1EpochTables(SCHEDULE, GENESIS, UNIVERSE, decided(heads), ledger::tableAt, 4);
        L1EpochTables.Lookup.Known k = assertInstanceOf(L1EpochTables.Lookup.Known.class, tables.lookup(1));
        assertEquals(GENESIS.commitment(), k.table().commitment(), "L1 block 0 is before the follower's history");
        assertEquals("its snapshot block (height 4) names no L1 block: its leader had not adopted one yet",
                k.keptBecause().orElseThrow());
        assertStakes(tables, 2, STAKE, STAKE, STAKE, STAKE, 2 * STAKE, 0);
    }

    @Test
    void refusesAGenesisTableOutsideTheUniverseAndARepeatedKey() {
        DecidedL1Heads none = h -> OptionalLong.empty();
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> new L1EpochTables(SCHEDULE, table(0, 9), UNIVERSE, none, b -> null, 4));
        assertEquals("the genesis table holds key " + key(9).toHex() + " (entry 1) that is none of the 6 configured"
                + " peers: this network cannot count its votes", outside.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new L1EpochTables(SCHEDULE, GENESIS, List.of(key(0), key(1), key(0)), none, b -> null, 4));
        assertEquals("universe index 2 repeats key " + key(0).toHex(), twice.getMessage());
        assertNotEquals(GENESIS.commitment(), table(1, 0, 2, 3).commitment(), "order is part of the commitment");
    }

    private static void assertStakes(L1EpochTables tables, long epoch, long... stakeGwei) {
        EpochTable t = tables.table(epoch).orElseThrow(() -> new AssertionError("epoch " + epoch + ": "
                + tables.lookup(epoch)));
        for (int i = 0; i < stakeGwei.length; i++) {
            assertEquals(stakeGwei[i], t.weights().stakeGwei(i), "epoch " + epoch + ", universe index " + i);
        }
    }

    private static void assertSameTable(EpochTable expected, EpochTable actual, String what) {
        assertEquals(expected.commitment(), actual.commitment(), what);
        assertEquals(expected.weights().size(), actual.weights().size(), what);
        assertEquals(expected.daMembers(), actual.daMembers(), what + ", DA members");
        for (int i = 0; i < expected.weights().size(); i++) {
            assertEquals(expected.weights().stakeGwei(i), actual.weights().stakeGwei(i), what + ", universe index " + i);
        }
    }

    private static DecidedL1Heads decided(TreeMap<Long, Long> heads) {
        return h -> heads.containsKey(h) ? OptionalLong.of(heads.get(h)) : OptionalLong.empty();
    }

    private static ValidatorEvent.Joined join(long block, int logIndex, long id, int key, long stakeGwei) {
        return new ValidatorEvent.Joined(block, logIndex, id, key(key).toEip2537(), stakeGwei, true);
    }

    private static StakeTable table(int... keys) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int k : keys) entries.add(new StakeEntry(key(k), k == 4 ? 2 * STAKE : STAKE, true));
        return StakeTable.of(entries);
    }

    private static BlsPublicKey key(int i) {
        return TestKeys.keyPair(i).publicKey();
    }
}
