package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.epoch.Handover;
import dev.cortado.protocol.epoch.HandoverException;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Light-client signing across an epoch boundary, with real BLS keys: a universe of six peers, epoch 0 signed by
 * peers 0..3, epoch 1 by peers 2..5 (so peer 2 is index 0 of epoch 1's table). This node is peer 0, which holds
 * no stake in epoch 1. Epochs of ten blocks: height 9 is the handover.
 */
class LcEpochSigningTest {
    private static final long CHAIN_ID = 4242;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(10, 2);
    private static final int ME = 0;
    private static final StakeTable T0 = table(0, 1, 2, 3);
    private static final StakeTable T1 = table(2, 3, 4, 5);

    private final AtomicReference<StakeTable> epoch1 = new AtomicReference<>(T1);
    private final LcSigners signers = new LcSigners(EpochStakeTables.of(SCHEDULE, T0,
            e -> e == 1 ? Optional.ofNullable(epoch1.get()) : Optional.empty()),
            IntStream.range(0, 6).mapToObj(i -> TestKeys.keyPair(i).publicKey()).toList());
    private final LcVerifier verifier = new LcVerifier();
    private final Misbehaviour misbehaviour = new Misbehaviour(new SimpleMeterRegistry());
    private final LcSignaturePool pool = new LcSignaturePool(CHAIN_ID, signers, verifier, misbehaviour);
    private final LcStates states = new LcStates(signers, ME, LcSignaturePool.WINDOW);

    private static StakeTable table(int... peers) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int p : peers) {
            entries.add(new StakeEntry(TestKeys.keyPair(p).publicKey(), 1, true));
        }
        return StakeTable.of(entries);
    }

    private static Bytes32 root(long height) {
        return Keccak.hash(("root " + height).getBytes(StandardCharsets.UTF_8));
    }

    /** The state every replica computes for {@code height}, naming {@code named}. */
    private static LightClientState state(long height, StakeTable named) {
        return new LightClientState(new View(2 * height + 1), new Height(height), root(height), named.commitment());
    }

    private static NodeMessage.LcSignature signed(int peer, int index, LightClientState s) {
        return new NodeMessage.LcSignature(s.height().value(), index,
                Bls.sign(TestKeys.keyPair(peer).secretKey(), s.digest(CHAIN_ID)).toBytes());
    }

    private Optional<LightClientCertificate> offer(long tip, int peer, int index, LightClientState s) {
        return pool.offer(tip, peer, signed(peer, index, s));
    }

    /** What this node does with a decision: sign as its index in the height's table, or only collect. */
    private Optional<LightClientCertificate> decide(long height) {
        List<LcStates.Ready> ready = states.decided(height, 2 * height + 1, root(height));
        assertEquals(1, ready.size());
        return sign(ready.getFirst());
    }

    private Optional<LightClientCertificate> sign(LcStates.Ready r) {
        if (r.me().isEmpty()) {
            return pool.decided(r.state(), false);
        }
        return pool.own(r.state(), r.me().getAsInt(),
                Bls.sign(TestKeys.keyPair(ME).secretKey(), r.state().digest(CHAIN_ID)), false);
    }

    private static boolean aggregateVerifies(LightClientCertificate lc, StakeTable table) {
        List<BlsPublicKey> keys = lc.cert().signers().signers().mapToObj(i -> table.entry(i).key()).toList();
        return Bls.fastAggregateVerify(Bls.sumKeys(keys), lc.state().digest(CHAIN_ID), lc.cert().signature());
    }

    @Test
    void aSignerOutsideItsHeightsEpochIsRefusedBeforeAnyPairing() {
        LightClientState s5 = state(5, T0);
        LightClientState s15 = state(15, T1);
        // Peer 4 signs genuinely but holds no stake in epoch 0, whatever index it claims; peer 2 claims its
        // epoch-0 index for a height of epoch 1, where it is index 0.
        for (int index = 0; index < 4; index++) {
            assertTrue(offer(5, 4, index, s5).isEmpty());
        }
        assertTrue(offer(15, 2, 2, s15).isEmpty());
        assertTrue(offer(15, 0, 0, s15).isEmpty(), "this node's own peer index holds no stake in epoch 1");
        assertEquals(0, pool.heldSignatures());
        assertEquals(0, pool.heights());
        assertEquals(0, verifier.aggregateChecks() + verifier.singleChecks());
        assertEquals(0, misbehaviour.total(Misbehaviour.Kind.BAD_LC_SIGNATURE), "refused unparsed");

        // Epoch 0: this node signs as index 0; two more of four are a quorum, over epoch 0's table.
        assertTrue(decide(5).isEmpty());
        assertTrue(offer(5, 1, 1, s5).isEmpty());
        LightClientCertificate lc5 = offer(5, 2, 2, s5).orElseThrow();
        assertEquals(s5, lc5.state());
        assertEquals(T0.size(), lc5.cert().signers().size());
        assertTrue(lc5.verify(T0, CHAIN_ID).isValid());

        // Epoch 1: this node holds no stake and signs nothing, but certifies from peers 2, 3, 4 (indices 0, 1, 2).
        assertTrue(decide(15).isEmpty());
        assertTrue(offer(15, 2, 0, s15).isEmpty());
        assertTrue(offer(15, 3, 1, s15).isEmpty());
        LightClientCertificate lc15 = offer(15, 4, 2, s15).orElseThrow();
        assertEquals(s15, lc15.state());
        assertEquals(List.of(0, 1, 2), lc15.cert().signers().signers().boxed().toList());
        assertTrue(lc15.verify(T1, CHAIN_ID).isValid());
        assertFalse(lc15.verify(T0, CHAIN_ID).isValid(), "names epoch 1's table");
        assertFalse(aggregateVerifies(lc15, T0), "the bitmap's indices are epoch 1's");
        assertEquals(2, verifier.aggregateChecks());
        assertEquals(0, verifier.singleChecks());
    }

    @Test
    void theHandoverNamesTheNextTableAndIsCertifiedByTheOutgoingOne() throws HandoverException {
        LightClientState handover = state(9, T1);
        // The incoming validators sign the handover too; they are not its signers and take no slot.
        assertTrue(offer(9, 4, 2, handover).isEmpty());
        assertTrue(offer(9, 5, 3, handover).isEmpty());
        assertEquals(0, pool.heldSignatures());
        assertTrue(decide(9).isEmpty());
        assertTrue(offer(9, 1, 1, handover).isEmpty());
        LightClientCertificate lc = offer(9, 3, 3, handover).orElseThrow();
        assertEquals(handover, lc.state(), "the epoch's last state names epoch 1's table");
        assertEquals(List.of(0, 1, 3), lc.cert().signers().signers().boxed().toList());
        // Exactly what light clients and LightClient.sol accept as the rotation into epoch 1.
        new Handover(1, T1, lc).verify(SCHEDULE, CHAIN_ID, T0);
        HandoverException byIncoming = assertThrows(HandoverException.class,
                () -> new Handover(1, T1, lc).verify(SCHEDULE, CHAIN_ID, T1));
        assertEquals(HandoverException.Reason.NOT_SIGNED_BY_OUTGOING, byIncoming.reason());
    }

    @Test
    void theHandoverWaitsWhileTheNextTableIsUnknownAndIsSignedOnceItIsKnown() throws HandoverException {
        epoch1.set(null);
        LightClientState handover = state(9, T1);
        LightClientState s10 = state(10, T1);
        assertEquals(List.of(), states.decided(9, 19, root(9)), "no commitment is guessed for the handover");
        assertEquals(List.of(), states.decided(10, 21, root(10)), "epoch 1's own table is unknown too");
        assertEquals(2, states.waiting());
        // Peers that already know epoch 1's table sign: the handover's signers (epoch 0) are known, so they
        // park; epoch 1's signers are not, so peer 2's signature for height 10 waits unparsed.
        offer(10, 1, 1, handover);
        offer(10, 2, 2, handover);
        offer(10, 2, 0, s10);
        assertEquals(3, pool.heldSignatures());
        assertEquals(0, verifier.aggregateChecks() + verifier.singleChecks());
        assertEquals(List.of(), states.release(), "still unknown");

        epoch1.set(T1);
        List<LcStates.Ready> ready = states.release();
        assertEquals(List.of(9L, 10L), ready.stream().map(r -> r.state().height().value()).toList());
        assertEquals(handover, ready.get(0).state());
        assertEquals(0, ready.get(0).me().orElseThrow());
        assertTrue(ready.get(1).me().isEmpty(), "no stake in epoch 1: nothing to sign");
        assertEquals(0, states.waiting());
        LightClientCertificate lc = sign(ready.get(0)).orElseThrow();
        new Handover(1, T1, lc).verify(SCHEDULE, CHAIN_ID, T0);

        assertTrue(sign(ready.get(1)).isEmpty(), "peer 2's waiting signature alone is no quorum");
        assertTrue(offer(10, 3, 1, s10).isEmpty());
        LightClientCertificate lc10 = offer(10, 5, 3, s10).orElseThrow();
        assertEquals(List.of(0, 1, 3), lc10.cert().signers().signers().boxed().toList());
        assertTrue(lc10.verify(T1, CHAIN_ID).isValid());
        assertEquals(0, misbehaviour.total(Misbehaviour.Kind.BAD_LC_SIGNATURE));
    }

    @Test
    void waitingStatesAndSignaturesAreBoundedByTheWindow() {
        epoch1.set(null);
        long w = LcSignaturePool.WINDOW;
        for (long h = 9; h <= 9 + 3 * w; h++) {
            states.decided(h, 2 * h + 1, root(h));
            // one unknown-table signature per height from the same peer, and a second one it cannot add
            pool.offer(h, 3, signed(3, 1, state(h, T1)));
            pool.offer(h, 3, signed(3, 2, state(h, T1)));
        }
        assertEquals(w + 1, states.waiting(), "only heights still within the window of the tip wait");
        assertEquals(w + 1, pool.heldSignatures(), "one slot per peer and height in the window");
        assertEquals(w + 1, pool.heights());
        assertEquals(0, verifier.aggregateChecks() + verifier.singleChecks());
    }
}
