package dev.cortado.protocol.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ValidatorLedger#stage} then {@link ValidatorLedger#commit}: the L1 follower persists a poll's events
 * between the two, so a staged append must change nothing, and a stale one must not apply over a later append.
 */
class ValidatorLedgerStagingTest {
    @Test
    void aStagedAppendChangesNothingUntilCommitted() {
        ValidatorLedger ledger = new ValidatorLedger(100);
        ledger.append(List.of(LedgerEvents.join(100, 0, 1, 32, true)), 101);
        ValidatorLedger.Staged staged = ledger.stage(List.of(LedgerEvents.join(103, 0, 2, 32, true),
                new ValidatorEvent.Left(104, 0, 1)), 105);

        assertEquals(101, ledger.followedBlock());
        assertEquals(new TableSnapshot.NotYetSeen(104, 101), ledger.tableAt(104));
        ValidatorLedger.Staged again = ledger.stage(List.of(LedgerEvents.join(103, 0, 2, 32, true)), 103);
        assertEquals(101, ledger.followedBlock(), "a failed write drops its staged append; the next poll stages anew");

        ledger.commit(again);
        assertEquals(103, ledger.followedBlock());
        assertEquals(2, assertInstanceOf(TableSnapshot.Table.class, ledger.tableAt(103)).table().size());
        IllegalStateException stale = assertThrows(IllegalStateException.class, () -> ledger.commit(staged));
        assertEquals("this append was staged at followed block 101, but the ledger has since followed to 103",
                stale.getMessage());
        assertEquals(2, assertInstanceOf(TableSnapshot.Table.class, ledger.tableAt(103)).table().size());
    }

    @Test
    void stagingRefusesWhatAppendRefusesAndKeepsNothing() {
        ValidatorLedger ledger = new ValidatorLedger(100);
        assertThrows(IllegalArgumentException.class, () -> ledger.stage(List.of(new ValidatorEvent.Left(100, 0, 7)), 100));
        assertEquals(99, ledger.followedBlock());
        ledger.append(List.of(LedgerEvents.join(100, 0, 1, 32, true)), 100);
        assertEquals(1, assertInstanceOf(TableSnapshot.Table.class, ledger.tableAt(100)).table().size());
    }
}
