package dev.cortado.protocol.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.protocol.stake.StakeTable;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ValidatorLedgerPropertyTest {
    private static final long START = 100;

    @Property(tries = 40)
    void answersEqualAReplayFromScratchWhateverThePollingAndPruning(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<ValidatorEvent> events = LedgerEvents.history(rnd, START, 60, 14);
        long end = START + 60;
        ValidatorLedger a = new ValidatorLedger(START);
        ValidatorLedger b = new ValidatorLedger(START);
        LedgerEvents.feed(a, events, end, rnd);
        LedgerEvents.feed(b, events, end, rnd);
        long pruned = START + rnd.nextInt(60);
        b.pruneThrough(pruned);
        for (long block = START - 1; block <= end; block++) {
            Optional<StakeTable> expected = LedgerEvents.model(events, block);
            assertSame(expected, a.tableAt(block), block);
            if (block >= pruned) {
                assertSame(expected, b.tableAt(block), block);
            } else {
                assertEquals(new TableSnapshot.Pruned(block, pruned), b.tableAt(block));
            }
        }
        assertEquals(new TableSnapshot.NotYetSeen(end + 1, end), a.tableAt(end + 1));
    }

    @Property(tries = 25)
    void replicasFollowingAtDifferentPacesDeriveTheSameTableForEveryEpoch(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<ValidatorEvent> events = LedgerEvents.history(rnd, START, 80, 12);
        EpochSchedule schedule = new EpochSchedule(4 + rnd.nextInt(6), 1 + rnd.nextInt(3));
        StakeTable genesis = StakeTable.of(List.of(new dev.cortado.protocol.stake.StakeEntry(LedgerEvents.key(999),
                32_000_000_000L, true)));
        // The chain's l1Heads never decrease; each replica has followed at least the snapshot's l1Head
        // when it judges that block (the header rule defers it otherwise), but may be further ahead.
        long[] l1Head = new long[64];
        long h = START;
        for (int i = 0; i < l1Head.length; i++) {
            h = Math.min(START + 80, h + rnd.nextInt(3));
            l1Head[i] = h;
        }
        ValidatorLedger fast = new ValidatorLedger(START);
        LedgerEvents.feed(fast, events, START + 80, rnd);
        ValidatorLedger slow = new ValidatorLedger(START);
        StakeTable tableFast = genesis;
        StakeTable tableSlow = genesis;
        for (long epoch = 1; schedule.snapshotHeight(epoch) < l1Head.length; epoch++) {
            long snapshotL1 = l1Head[(int) schedule.snapshotHeight(epoch)];
            LedgerEvents.feed(slow, events, Math.max(snapshotL1, slow.followedBlock()), rnd);
            tableFast = EpochRules.nextTable(tableFast, fast.tableAt(snapshotL1));
            tableSlow = EpochRules.nextTable(tableSlow, slow.tableAt(snapshotL1));
            assertEquals(tableFast.commitment(), tableSlow.commitment(), "epoch " + epoch);
            StakeTable expected = LedgerEvents.model(events, snapshotL1).orElse(null);
            if (expected != null) assertEquals(expected.commitment(), tableFast.commitment(), "epoch " + epoch);
        }
    }

    @Test
    void refusesEventsACorrectL1NeverEmits() {
        ValidatorLedger l = new ValidatorLedger(START);
        l.append(List.of(LedgerEvents.join(101, 0, 5, 32, true)), 101);
        assertEquals("Joined(block 102, log 0, id 5, 32 gwei): validator ids only grow, highest so far 5",
                assertThrows(IllegalArgumentException.class,
                        () -> l.append(List.of(LedgerEvents.join(102, 0, 5, 32, false)), 102)).getMessage());
        assertEquals("Left[l1Block=102, logIndex=0, validatorId=4]: validator 4 is not active",
                assertThrows(IllegalArgumentException.class,
                        () -> l.append(List.of(new ValidatorEvent.Left(102, 0, 4)), 102)).getMessage());
        assertEquals("Left[l1Block=101, logIndex=3, validatorId=5] lies outside the blocks 102..103",
                assertThrows(IllegalArgumentException.class,
                        () -> l.append(List.of(new ValidatorEvent.Left(101, 3, 5)), 103)).getMessage());
        assertEquals("Left[l1Block=103, logIndex=1, validatorId=5] is not after block 103 log 2",
                assertThrows(IllegalArgumentException.class, () -> l.append(List.of(
                        LedgerEvents.join(103, 2, 6, 32, false), new ValidatorEvent.Left(103, 1, 5)), 103)).getMessage());
        assertEquals("followed block cannot move back from 101 to 100",
                assertThrows(IllegalArgumentException.class, () -> l.append(List.of(), 100)).getMessage());
        // Nothing of a refused batch was kept.
        assertEquals(101, l.followedBlock());
        assertEquals(new TableSnapshot.NotYetSeen(102, 101), l.tableAt(102));
    }

    @Test
    void aKeyThatIsNotAG2PointMakesTheSnapshotUnusableAndTheCurrentTableStays() {
        ValidatorLedger l = new ValidatorLedger(START);
        byte[] junk = new byte[256];
        junk[255] = 7;
        l.append(List.of(LedgerEvents.join(101, 0, 1, 32, true),
                new ValidatorEvent.Joined(101, 1, 2, junk, 32, false)), 102);
        TableSnapshot s = l.tableAt(102);
        TableSnapshot.Unusable u = assertInstanceOf(TableSnapshot.Unusable.class, s);
        assertEquals(true, u.reason().startsWith("validator 2's key is unusable: "), u.reason());
        StakeTable current = StakeTable.of(List.of(new dev.cortado.protocol.stake.StakeEntry(LedgerEvents.key(50), 1, true)));
        assertEquals(current, EpochRules.nextTable(current, s));
        assertEquals(new TableSnapshot.NoValidators(100), l.tableAt(100));
        assertEquals(current, EpochRules.nextTable(current, l.tableAt(100)));
        assertEquals("the table at L1 block 103 is not known yet (followed to 102)",
                assertThrows(IllegalStateException.class, () -> EpochRules.nextTable(current, l.tableAt(103))).getMessage());
    }

    private static void assertSame(Optional<StakeTable> expected, TableSnapshot got, long block) {
        if (expected.isEmpty()) {
            assertEquals(new TableSnapshot.NoValidators(block), got, "block " + block);
        } else {
            TableSnapshot.Table t = assertInstanceOf(TableSnapshot.Table.class, got, "block " + block);
            assertEquals(expected.get().entries(), t.table().entries(), "block " + block);
            assertEquals(expected.get().commitment(), t.table().commitment(), "block " + block);
        }
    }
}
