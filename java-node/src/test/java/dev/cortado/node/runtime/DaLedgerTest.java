package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's per-view DA state against floods: state only for screened proposals, at most a few blocks
 * per view, one held certificate per sender, a negative cache, entries leaving only with their view, and the
 * core signalled once per block with both its share and a valid certificate.
 */
class DaLedgerTest {
    private static final byte[] GOOD = {1, 2, 3};
    private final DaLedger ledger = new DaLedger(4, true,
            (header, cert) -> Arrays.equals(cert.signature(), GOOD) ? Optional.empty() : Optional.of("bad signature"));

    private static Bytes32 block(long view, int variant) {
        return Keccak.hash(Abi.uint64Word(view), Abi.uint64Word(variant));
    }

    private static BlockHeader header(long view, Bytes32 block) {
        return new BlockHeader(Height.of(view), View.of(view), Bytes32.ZERO, 0, 0, block, Bytes32.ZERO, Bytes32.ZERO, 0,
                Bytes32.ZERO);
    }

    private static NodeMessage.DaCertMsg cert(Bytes32 block, byte[] signature) {
        return new NodeMessage.DaCertMsg(block, new byte[0], signature);
    }

    private DaLedger.Entry track(long view, int variant) {
        Bytes32 b = block(view, variant);
        return ledger.track(b, header(view, b)).orElseThrow();
    }

    @Test
    void signalsOnceWithShareAndValidCertificateInEitherOrder() {
        ledger.viewIs(5);
        DaLedger.Entry e = track(5, 0);
        assertFalse(ledger.readyToSignal(e), "nothing yet");
        ledger.shareOk(e, null);
        assertFalse(ledger.readyToSignal(e), "share without certificate");
        assertInstanceOf(DaLedger.CertOutcome.Refused.class, ledger.onCert(1, cert(e.commitment, new byte[] {9})));
        assertFalse(ledger.readyToSignal(e));
        assertInstanceOf(DaLedger.CertOutcome.Accepted.class, ledger.onCert(2, cert(e.commitment, GOOD)));
        assertTrue(ledger.readyToSignal(e));
        assertFalse(ledger.readyToSignal(e), "exactly once");

        // A certificate before the proposal waits in its sender's slot and is verified when the block is tracked.
        Bytes32 later = block(6, 0);
        assertInstanceOf(DaLedger.CertOutcome.Held.class, ledger.onCert(3, cert(later, GOOD)));
        DaLedger.Entry l = ledger.track(later, header(6, later)).orElseThrow();
        assertTrue(l.certOk);
    }

    @Test
    void aCertificateFloodKeepsOneSlotPerSenderAndEvictsNothing() {
        ledger.viewIs(10);
        DaLedger.Entry honest = track(10, 0);
        for (int i = 0; i < 20_000; i++) {
            ledger.onCert(3, cert(block(1_000_000 + i, 0), GOOD));
        }
        assertEquals(1, ledger.trackedCount(), "junk certificates create no entry");
        assertEquals(0, ledger.certVerifications(), "and cost no verification");
        assertTrue(ledger.get(honest.commitment).isPresent());
        // Only the flooder's latest one waits: tracking an older flooded block finds no certificate for it.
        DaLedger.Entry flooded = track(10, 1);
        assertFalse(flooded.certOk);
    }

    @Test
    void aRefusedSenderIsNotVerifiedAgainForThatBlock() {
        ledger.viewIs(3);
        DaLedger.Entry e = track(3, 0);
        for (int i = 0; i < 100; i++) {
            ledger.onCert(1, cert(e.commitment, new byte[] {(byte) i}));
        }
        assertEquals(1, ledger.certVerifications());
        assertInstanceOf(DaLedger.CertOutcome.Redundant.class, ledger.onCert(1, cert(e.commitment, GOOD)),
                "even a good certificate from a refused sender is not verified again");
        assertInstanceOf(DaLedger.CertOutcome.Accepted.class, ledger.onCert(2, cert(e.commitment, GOOD)));
    }

    @Test
    void aViewHoldsAFewBlocksAndEntriesLeaveOnlyWithTheirView() {
        ledger.viewIs(100);
        for (int v = 0; v < DaLedger.BLOCKS_PER_VIEW; v++) {
            track(100, v);
        }
        Bytes32 extra = block(100, 99);
        assertEquals(Optional.empty(), ledger.track(extra, header(100, extra)), "an equivocating leader fills its own view only");
        DaLedger.Entry next = track(101, 0);
        Bytes32 past = block(100 - DaLedger.RETAIN_VIEWS - 1, 0);
        assertEquals(Optional.empty(), ledger.track(past, header(100 - DaLedger.RETAIN_VIEWS - 1, past)));
        Bytes32 far = block(100 + DaLedger.AHEAD_VIEWS + 1, 0);
        assertEquals(Optional.empty(), ledger.track(far, header(100 + DaLedger.AHEAD_VIEWS + 1, far)));
        assertEquals(DaLedger.BLOCKS_PER_VIEW + 1, ledger.trackedCount());

        ledger.viewIs(100 + DaLedger.RETAIN_VIEWS + 1);
        assertEquals(1, ledger.trackedCount(), "view 100 left the window, view 101 stays");
        assertTrue(ledger.get(next.commitment).isPresent());
    }

    @Test
    void aMemberSignsOneDaVotePerView() {
        ledger.viewIs(7);
        assertTrue(ledger.takeDaVote(7));
        assertFalse(ledger.takeDaVote(7));
        assertTrue(ledger.takeDaVote(8));
    }

    @Test
    void theSimulatorDrivesTheSameLedgerThroughThePipeline() {
        SimDaPipeline pipeline = new SimDaPipeline(4, (header, sig) -> Arrays.equals(sig, GOOD));
        pipeline.viewIs(2);
        Leaf leaf = new Leaf(7, View.of(2), Height.of(1), Bytes32.ZERO, block(2, 0), View.of(1));
        assertFalse(pipeline.share(1, leaf.blockCommitment()), "a share before its proposal waits");
        assertFalse(pipeline.proposed(1, leaf), "no certificate yet");
        assertFalse(pipeline.certificate(3, leaf.blockCommitment(), new byte[] {0}));
        assertTrue(pipeline.certificate(2, leaf.blockCommitment(), GOOD));
        assertFalse(pipeline.certificate(0, leaf.blockCommitment(), GOOD), "signalled once");
        assertEquals(1, pipeline.trackedCount());
        pipeline.viewIs(2 + DaLedger.RETAIN_VIEWS + 1);
        assertEquals(0, pipeline.trackedCount(), "the pipeline's view change prunes the DA state");
    }
}
