package dev.cortado.node.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure pieces: leaf encoding, stake thresholds, leader schedule, voting rules, buffers. */
class ConsensusRulesTest {

    @Test
    void leafCommitmentIsKeccakOfTheAbiWords() {
        Leaf leaf = new Leaf(7, View.of(3), Height.of(2), Bytes32.fromHex("11".repeat(32)),
                Bytes32.fromHex("22".repeat(32)), View.of(2));
        byte[] preimage = concat(Keccak.hash("cortado/leaf/v1".getBytes(StandardCharsets.UTF_8)).bytes(),
                Abi.uint256Word(7), Abi.uint64Word(3), Abi.uint64Word(2), Bytes32.fromHex("11".repeat(32)).bytes(),
                Bytes32.fromHex("22".repeat(32)).bytes(), Abi.uint64Word(2));
        assertEquals(7 * 32, preimage.length);
        assertEquals(Keccak.hash(preimage), leaf.commitment());
        // Golden vector, also in docs/architecture.md ("Leaf commitment").
        assertEquals(GOLDEN_LEAF, leaf.commitment().toHex());
    }

    static final String GOLDEN_LEAF = "0x0a7f482f30a8ec05adf9a5fe0b6a1694dc201be49cf185120a533d715b949d91";

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void quorumNeedsMoreThanTwoThirdsOfStake() {
        StakeWeights equal = StakeWeights.equal(4, 10);
        assertFalse(equal.isQuorum(20));
        assertTrue(equal.isQuorum(30));
        StakeWeights three = StakeWeights.equal(3, 1);
        assertFalse(three.isQuorum(2), "exactly 2/3 is not enough");
        assertTrue(three.isQuorum(3));
        StakeWeights weighted = new StakeWeights(new long[] {70, 10, 10, 10});
        BitSet whale = new BitSet();
        whale.set(0);
        assertTrue(weighted.isQuorum(weighted.stakeOf(whale)));
        BitSet outside = new BitSet();
        outside.set(9);
        assertEquals(-1, weighted.stakeOf(outside));
        assertTrue(weighted.exceedsOneThird(40));
        assertFalse(weighted.exceedsOneThird(30));
        assertThrows(IllegalArgumentException.class, () -> new StakeWeights(new long[] {1, 0}));
        long big = Long.MAX_VALUE / 3;
        assertTrue(new StakeWeights(new long[] {big, big, 1}).isQuorum(2 * big), "no overflow at gwei scale");
    }

    @Test
    void leaderScheduleIsRoundRobinForEqualStakeAndProportionalOtherwise() {
        LeaderSchedule equal = new LeaderSchedule(StakeWeights.equal(4, 32_000_000_000L));
        assertEquals(List.of(0, 1, 2, 3, 0, 1), List.of(0, 1, 2, 3, 4, 5).stream()
                .map(v -> equal.leader(View.of(v))).toList());

        LeaderSchedule weighted = new LeaderSchedule(new StakeWeights(new long[] {3, 1}));
        assertEquals(4, weighted.period());
        int zero = 0;
        for (int v = 0; v < 400; v++) {
            zero += weighted.leader(View.of(v)) == 0 ? 1 : 0;
        }
        assertEquals(300, zero);

        LeaderSchedule huge = new LeaderSchedule(new StakeWeights(new long[] {32_000_000_001L, 64_000_000_003L, 7}));
        assertTrue(huge.period() <= 16 * 3 + 3, "large stakes are scaled to a short period");
        int[] counts = new int[3];
        for (int v = 0; v < huge.period(); v++) {
            counts[huge.leader(View.of(v))]++;
        }
        assertTrue(counts[1] > counts[0] && counts[0] > counts[2] && counts[2] >= 1, java.util.Arrays.toString(counts));
        assertEquals(huge.leader(View.of(5)), new LeaderSchedule(new StakeWeights(new long[] {32_000_000_001L,
                64_000_000_003L, 7})).leader(View.of(5)), "deterministic");
    }

    @Test
    void viewChangeRuleAndTwoChain() {
        CoreHarness h = new CoreHarness(4);
        Leaf a = h.leaf(1, h.genesis, h.genesisQc, "a");
        QuorumCertificate qcA = h.qc(a, 0, 1, 2);
        assertEquals(Optional.empty(), VotingRules.viewChangeRule(View.of(2), qcA, Optional.empty()));
        assertTrue(VotingRules.viewChangeRule(View.of(1), qcA, Optional.empty()).isPresent());
        TimeoutCertificate tc2 = h.tc(2, qcA, 0, 1, 2);
        assertEquals(Optional.empty(), VotingRules.viewChangeRule(View.of(3), qcA, Optional.of(tc2)));
        assertTrue(VotingRules.viewChangeRule(View.of(4), qcA, Optional.of(tc2)).isPresent(), "TC of the wrong view");
        // A justify older than the TC's high QC is well formed; the voters' lock check refuses it.
        assertEquals(Optional.empty(), VotingRules.viewChangeRule(View.of(3), h.genesisQc, Optional.of(tc2)));
        LeafStore store = new LeafStore(h.genesis, 4);
        assertFalse(VotingRules.mayVote(h.genesisQc, Optional.of(tc2), qcA, store), "below lock and TC");
        assertTrue(VotingRules.mayVote(h.genesisQc, Optional.of(h.tc(2, h.genesisQc, 0, 1, 2)), qcA, store),
                "hidden lock: the TC proves no signer knew QC(A)");
        assertTrue(VotingRules.mayVote(qcA, Optional.of(tc2), qcA, store), "reaches the TC's high QC");

        Leaf b = h.leaf(2, a, qcA, "b");
        Leaf late = h.leaf(3, a, qcA, "late");
        assertTrue(VotingRules.formsTwoChain(a, b));
        assertFalse(VotingRules.formsTwoChain(a, late));
    }

    @Test
    void safetyCheckWalksAncestry() {
        CoreHarness h = new CoreHarness(4);
        LeafStore store = new LeafStore(h.genesis, 8);
        Leaf a = h.leaf(1, h.genesis, h.genesisQc, "a");
        QuorumCertificate qcA = h.qc(a, 0, 1, 2);
        Leaf b = h.leaf(2, a, qcA, "b");
        QuorumCertificate qcB = h.qc(b, 0, 1, 2);
        Leaf other = h.leaf(2, h.genesis, h.genesisQc, "other");
        assertTrue(store.add(a.commitment(), a));
        assertTrue(store.add(b.commitment(), b));
        assertTrue(store.add(other.commitment(), other));
        assertFalse(store.add(h.leaf(5, b, qcB, "x").commitment(), h.leaf(9, h.leaf(8, b, qcB, "y"), qcB, "z")),
                "a leaf whose parent is unknown is not stored");
        assertTrue(VotingRules.safetyCheck(qcB, qcA, store), "B extends A");
        assertTrue(VotingRules.safetyCheck(qcA, qcA, store));
        QuorumCertificate qcOther = h.qc(other, 0, 1, 2);
        assertFalse(VotingRules.safetyCheck(qcOther, qcA, store), "a sibling fork does not extend A");
        assertEquals(List.of(a, b), store.chainFromAnchor(b.commitment()));
        store.advanceAnchor(a.commitment(), a);
        assertEquals(null, store.get(other.commitment()), "forks off the decision are pruned");
        assertEquals(b, store.get(b.commitment()));
    }

    @Test
    void futureBufferReturnsOnlyTheViewReachedAndDropsOlder() {
        FutureBuffer buffer = new FutureBuffer(3, 2, 3);
        CoreHarness h = new CoreHarness(4);
        Input three = new Input.TimeoutVoteReceived(0, h.timeoutVote(0, 3, h.genesisQc));
        Input four = new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 4, h.genesisQc));
        Input five = new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 5, h.genesisQc));
        assertEquals(Optional.empty(), buffer.add(0, View.of(3), three));
        assertEquals(Optional.empty(), buffer.add(1, View.of(4), four));
        assertEquals(Optional.empty(), buffer.add(1, View.of(5), five));
        assertTrue(buffer.add(2, View.of(5), five).isPresent(), "total bound");
        assertEquals(List.of(four), buffer.takeUpTo(View.of(4)));
        assertEquals(1, buffer.size());
        assertEquals(Optional.empty(), buffer.add(0, View.of(6), three), "the sender's share was released");
    }

    @Test
    void certificatesCarryTheirThresholdAndSignatures() {
        CoreHarness h = new CoreHarness(4);
        CertificateValidator validator = new CertificateValidator(CoreHarness.CHAIN, StakeWeights.equal(4, 10), h.crypto);
        Leaf a = h.leaf(1, h.genesis, h.genesisQc, "a");
        assertEquals(Optional.empty(), validator.checkQc(h.qc(a, 0, 1, 3)));
        assertEquals(Optional.empty(), validator.checkQc(h.genesisQc));
        assertTrue(validator.checkQc(new QuorumCertificate(View.ZERO, a.commitment(), AggregateSignature.GENESIS))
                .isPresent(), "only the genesis leaf has an unsigned QC");
        QuorumCertificate good = h.qc(a, 0, 1, 3);
        QuorumCertificate otherLeaf = new QuorumCertificate(a.view(), CoreHarness.block("z"), good.signature());
        assertTrue(validator.checkQc(otherLeaf).orElseThrow().contains("does not verify"));
        assertEquals(Optional.empty(), validator.checkTc(h.tc(1, h.genesisQc, 0, 2, 3)));
        assertTrue(validator.checkTc(h.tc(1, h.genesisQc, 0, 2)).isPresent());
    }
}
