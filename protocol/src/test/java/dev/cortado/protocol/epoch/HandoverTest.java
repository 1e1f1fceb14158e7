package dev.cortado.protocol.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.cert.CertFixtures;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoverTest {
    private static final long CHAIN = 7;
    private final EpochSchedule schedule = new EpochSchedule(5, 2);
    private final List<BlsKeyPair> keys = StakeFixtures.keys(6);
    /** Epoch 0: keys 0..3; epoch 1: key 4 joins; epoch 2: key 0 leaves. */
    private final StakeTable t0 = table(0, 1, 2, 3);
    private final StakeTable t1 = table(0, 1, 2, 3, 4);
    private final StakeTable t2 = table(1, 2, 3, 4);

    @Test
    void historyFollowsHandoversSignedByEachOutgoingTable() throws HandoverException {
        EpochHistory history = new EpochHistory(schedule, CHAIN, t0, 8);
        history.accept(handover(1, t1, t0, SignerBitmap.of(4, 1, 2, 3)));
        history.accept(handover(2, t2, t1, SignerBitmap.of(5, 1, 2, 3, 4)));
        assertEquals(2, history.latestEpoch());
        assertEquals(t2, history.signerOf(schedule.firstHeight(2)).orElseThrow());
        assertEquals(t1, history.signerOf(schedule.lastHeight(1)).orElseThrow());
        assertEquals(t0, history.signerOf(0).orElseThrow());
        assertTrue(history.signerOf(schedule.firstHeight(3)).isEmpty());
    }

    @Test
    void refusesAHandoverTheOutgoingTableDidNotSign() throws HandoverException {
        EpochHistory history = new EpochHistory(schedule, CHAIN, t0, 8);
        // The incoming table signs its own installation: key 4 is not in epoch 0's table, so the bitmap
        // over five entries does not even fit it.
        HandoverException e = assertThrows(HandoverException.class,
                () -> history.accept(handover(1, t1, t1, SignerBitmap.full(5))));
        assertEquals(HandoverException.Reason.NOT_SIGNED_BY_OUTGOING, e.reason());
        assertTrue(e.getMessage().contains("BITMAP_SIZE_MISMATCH"), e.getMessage());
        // Two of four outgoing validators are not a quorum.
        e = assertThrows(HandoverException.class, () -> history.accept(handover(1, t1, t0, SignerBitmap.of(4, 0, 1))));
        assertEquals(HandoverException.Reason.NOT_SIGNED_BY_OUTGOING, e.reason());
        assertTrue(e.getMessage().contains("INSUFFICIENT_STAKE"), e.getMessage());
        // A table of the same size that is not epoch 0's: the bitmap fits, the pairing fails.
        e = assertThrows(HandoverException.class,
                () -> history.accept(handover(1, t1, table(1, 2, 3, 5), SignerBitmap.full(4))));
        assertEquals(HandoverException.Reason.NOT_SIGNED_BY_OUTGOING, e.reason());
        assertTrue(e.getMessage().contains("BAD_SIGNATURE"), e.getMessage());
        assertEquals(0, history.latestEpoch());
    }

    @Test
    void refusesAWrongNextTableAWrongHeightAndSkippedEpochs() throws HandoverException {
        EpochHistory history = new EpochHistory(schedule, CHAIN, t0, 2);
        Handover genuine = handover(1, t1, t0, SignerBitmap.full(4));
        // A Byzantine server offers another table with the genuine certificate.
        Handover swapped = new Handover(1, t2, genuine.certificate());
        HandoverException e = assertThrows(HandoverException.class, () -> history.accept(swapped));
        assertEquals(HandoverException.Reason.WRONG_NEXT_TABLE, e.reason());
        assertEquals("WRONG_NEXT_TABLE: the state of height 4 names table " + t1.commitment()
                + ", the offered table is " + t2.commitment(), e.getMessage());
        LightClientState early = new LightClientState(View.of(9), Height.of(3), Bytes32.ZERO, t1.commitment());
        e = assertThrows(HandoverException.class, () -> history.accept(new Handover(1, t1,
                new LightClientCertificate(early, CertFixtures.sign(keys, ThresholdKind.QUORUM, early.digest(CHAIN),
                        SignerBitmap.full(4))))));
        assertEquals("WRONG_HEIGHT: the handover into epoch 1 is the state of height 4, got height 3", e.getMessage());
        e = assertThrows(HandoverException.class, () -> history.accept(handover(2, t2, t1, SignerBitmap.full(5))));
        assertEquals("OUT_OF_ORDER: the next handover is into epoch 1, got epoch 2", e.getMessage());
        history.accept(genuine);
        history.accept(handover(2, t2, t1, SignerBitmap.full(5)));
        // Retention of 2: epoch 0 is forgotten, not guessed.
        assertEquals(1, history.oldestEpoch());
        assertTrue(history.tableOf(0).isEmpty());
    }

    @Test
    void theEpochsLastStateNamesTheNextTableAndEveryOtherItsOwn() {
        for (long h = 0; h < 15; h++) {
            Bytes32 expected = h % 5 == 4 ? t1.commitment() : t0.commitment();
            assertEquals(expected, EpochRules.stateCommitment(schedule, h, t0, t1), "height " + h);
        }
    }

    private Handover handover(long epoch, StakeTable incoming, StakeTable signing, SignerBitmap signers) {
        long height = schedule.lastHeight(epoch - 1);
        LightClientState state = new LightClientState(View.of(2 * height + 1), Height.of(height),
                Bytes32.ZERO, incoming.commitment());
        List<BlsKeyPair> signingKeys = new ArrayList<>();
        for (StakeEntry e : signing.entries()) {
            signingKeys.add(keys.stream().filter(k -> k.publicKey().equals(e.key())).findFirst().orElseThrow());
        }
        return new Handover(epoch, incoming, new LightClientCertificate(state,
                CertFixtures.sign(signingKeys, ThresholdKind.QUORUM, state.digest(CHAIN), signers)));
    }

    private StakeTable table(int... idx) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int i : idx) entries.add(new StakeEntry(keys.get(i).publicKey(), StakeFixtures.stakeGwei(i), i % 2 == 0));
        return StakeTable.of(entries);
    }
}
