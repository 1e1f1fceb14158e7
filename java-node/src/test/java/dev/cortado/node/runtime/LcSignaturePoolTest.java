package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Light-client signatures cost pairings only in batches: counted through {@link LcVerifier}, with
 * real BLS keys. Ten equal-stake signers, so a certificate needs seven (more than 2/3).
 */
class LcSignaturePoolTest {
    private static final long CHAIN_ID = 4242;
    private static final int N = 10;
    private static final int ME = 0;
    private static final int BAD = 3;
    private static final long HEIGHT = 500;

    private final StakeTable table = table();
    private final LcVerifier verifier = new LcVerifier();
    private final Misbehaviour misbehaviour = new Misbehaviour(new SimpleMeterRegistry());
    private final LcSignaturePool pool = new LcSignaturePool(CHAIN_ID,
            new LcSigners(EpochStakeTables.single(table), table.entries().stream().map(StakeEntry::key).toList()),
            verifier, misbehaviour);
    private final LightClientState state = state(HEIGHT);

    private static StakeTable table() {
        List<StakeEntry> entries = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            entries.add(new StakeEntry(TestKeys.keyPair(i).publicKey(), 1, i < 3));
        }
        return StakeTable.of(entries);
    }

    private LightClientState state(long height) {
        return new LightClientState(new View(height + 2), new Height(height), Bytes32.ZERO, table.commitment());
    }

    private BlsSignature sign(int signer, LightClientState s) {
        return Bls.sign(TestKeys.keyPair(signer).secretKey(), s.digest(CHAIN_ID));
    }

    private NodeMessage.LcSignature message(int signer, LightClientState s) {
        return new NodeMessage.LcSignature(s.height().value(), signer, sign(signer, s).toBytes());
    }

    private Optional<LightClientCertificate> own() {
        return pool.own(state, ME, sign(ME, state), false);
    }

    private Optional<LightClientCertificate> offer(int from, NodeMessage.LcSignature m) {
        return pool.offer(HEIGHT, from, m);
    }

    /** The certificate verifies as one aggregate over exactly the signers in its bitmap. */
    private void assertValid(LightClientCertificate lc, int expectedSigners) {
        assertEquals(state, lc.state());
        assertEquals(expectedSigners, lc.cert().signers().count());
        List<BlsPublicKey> keys = lc.cert().signers().signers().mapToObj(i -> table.entry(i).key()).toList();
        assertTrue(Bls.fastAggregateVerify(Bls.sumKeys(keys), state.digest(CHAIN_ID), lc.cert().signature()));
    }

    @Test
    void honestSignaturesCostOneAggregateCheckInsteadOfOnePerSigner() {
        assertTrue(own().isEmpty());
        for (int peer = 1; peer <= 5; peer++) {
            assertTrue(offer(peer, message(peer, state)).isEmpty(), "below quorum: parked, not verified");
        }
        assertEquals(0, verifier.aggregateChecks() + verifier.singleChecks());
        LightClientCertificate lc = offer(6, message(6, state)).orElseThrow();
        assertValid(lc, 7);
        for (int peer = 7; peer < N; peer++) {
            assertTrue(offer(peer, message(peer, state)).isEmpty(), "certified height takes no more signatures");
        }
        assertEquals(1, verifier.aggregateChecks());
        assertEquals(0, verifier.singleChecks());
        assertEquals(0, misbehaviour.total(Misbehaviour.Kind.BAD_LC_SIGNATURE));
    }

    @Test
    void signaturesBeforeOurOwnDecisionAreCheckedTogetherWhenItArrives() {
        for (int peer = 1; peer < N; peer++) {
            offer(peer, message(peer, state));
        }
        assertEquals(0, verifier.aggregateChecks() + verifier.singleChecks());
        assertValid(own().orElseThrow(), N);
        assertEquals(1, verifier.aggregateChecks());
        assertEquals(0, verifier.singleChecks());
    }

    @Test
    void oneBadSignerCostsOneAggregateAndAtMostOneSingleCheckPerSignerAndIsDropped() {
        for (int peer = 1; peer < N; peer++) {
            // BAD signs a real point, but over another height's state: it parses, it does not verify.
            offer(peer, peer == BAD ? new NodeMessage.LcSignature(HEIGHT, BAD, sign(BAD, state(HEIGHT + 1)).toBytes())
                    : message(peer, state));
        }
        LightClientCertificate lc = own().orElseThrow();
        assertValid(lc, N - 1);
        assertFalse(lc.cert().signers().get(BAD));
        assertEquals(1, verifier.aggregateChecks());
        assertEquals(N - 1, verifier.singleChecks());
        assertEquals(1, misbehaviour.total(Misbehaviour.Kind.BAD_LC_SIGNATURE));
    }

    @Test
    void aBadSignerThatSinksTheBatchBelowQuorumIsBarredAndTheNextSignerCompletesIt() {
        assertTrue(own().isEmpty());
        for (int peer : new int[] {1, 2, 4, 5}) {
            offer(peer, message(peer, state));
        }
        NodeMessage.LcSignature wrong = new NodeMessage.LcSignature(HEIGHT, BAD, sign(BAD, state(HEIGHT + 1)).toBytes());
        offer(BAD, wrong);
        offer(6, message(6, state));
        // batch of 1,2,4,5,6 plus BAD failed: six singles, five good, with ours six of ten, not a quorum.
        assertEquals(1, verifier.aggregateChecks());
        assertEquals(6, verifier.singleChecks());
        assertEquals(1, misbehaviour.total(Misbehaviour.Kind.BAD_LC_SIGNATURE));
        assertTrue(offer(BAD, message(BAD, state)).isEmpty(), "barred for this height, even with a good signature");
        assertEquals(1, verifier.aggregateChecks());
        assertEquals(6, verifier.singleChecks());
        LightClientCertificate lc = offer(7, message(7, state)).orElseThrow();
        assertValid(lc, 7);
        assertFalse(lc.cert().signers().get(BAD));
        assertEquals(2, verifier.aggregateChecks());
        assertEquals(6, verifier.singleChecks());
    }

    @Test
    void aFloodFromOnePeerCostsNothingBeyondItsOneSlot() {
        NodeMessage.LcSignature first = message(BAD, state);
        offer(BAD, first);
        for (int i = 0; i < 200; i++) {
            // distinct, well-formed signatures (over other states) for the same height: dropped on the slot check
            offer(BAD, new NodeMessage.LcSignature(HEIGHT, BAD, sign(BAD, state(HEIGHT + 1 + i)).toBytes()));
            offer(BAD, new NodeMessage.LcSignature(HEIGHT, BAD, new byte[] {(byte) i}));
        }
        assertEquals(1, pool.heldSignatures());
        assertEquals(0, misbehaviour.total(Misbehaviour.Kind.BAD_LC_SIGNATURE), "its slot is taken: not even parsed");
        // claiming another signer's index, or heights outside the window, takes no slot at all
        offer(BAD, message(4, state));
        offer(BAD, message(BAD, state(HEIGHT + LcSignaturePool.WINDOW + 1)));
        offer(BAD, message(BAD, state(HEIGHT - LcSignaturePool.WINDOW - 1)));
        offer(N, new NodeMessage.LcSignature(HEIGHT, N, first.signature()));
        assertEquals(1, pool.heldSignatures());
        assertEquals(1, pool.heights());
        for (int peer : new int[] {1, 2, 4, 5, 6}) {
            offer(peer, message(peer, state));
        }
        assertValid(own().orElseThrow(), 7);
        assertEquals(1, verifier.aggregateChecks());
        assertEquals(0, verifier.singleChecks());
    }

    @Test
    void malformedBytesAreCountedOnceAndBarTheSignerForThatHeight() {
        for (int i = 0; i < 100; i++) {
            offer(BAD, new NodeMessage.LcSignature(HEIGHT, BAD, new byte[BlsSignature.COMPRESSED_BYTES]));
        }
        assertEquals(1, misbehaviour.total(Misbehaviour.Kind.BAD_LC_SIGNATURE));
        assertEquals(0, pool.heldSignatures());
        offer(BAD, message(BAD, state));
        assertEquals(0, pool.heldSignatures());
    }

    @Test
    void onePeerSigningEveryHeightHoldsAtMostOneSlotPerHeightInTheWindow() {
        byte[] signature = sign(BAD, state).toBytes();
        for (long h = HEIGHT - 3 * LcSignaturePool.WINDOW; h <= HEIGHT + 3 * LcSignaturePool.WINDOW; h++) {
            // the same bytes for every height: only the slot bound matters here, not which state they sign
            offer(BAD, new NodeMessage.LcSignature(h, BAD, signature));
        }
        assertEquals(2 * LcSignaturePool.WINDOW + 1, pool.heights());
        assertEquals(2 * LcSignaturePool.WINDOW + 1, pool.heldSignatures());
        assertEquals(0, verifier.aggregateChecks() + verifier.singleChecks());
    }

    @Test
    void aHeightCertifiedBeforeARestartTakesNoSignatures() {
        assertTrue(pool.own(state, ME, sign(ME, state), true).isEmpty());
        for (int peer = 1; peer < N; peer++) {
            assertTrue(offer(peer, message(peer, state)).isEmpty());
        }
        assertEquals(0, pool.heldSignatures());
        assertEquals(0, verifier.aggregateChecks() + verifier.singleChecks());
    }
}
