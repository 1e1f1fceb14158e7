package dev.cortado.node.consensus;

import static dev.cortado.node.consensus.CoreHarness.effects;
import static dev.cortado.node.consensus.CoreHarness.v;
import static dev.cortado.node.consensus.CoreHarness.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The handover rule: the last leaf of each epoch names the next epoch's stake table, exactly as the table source
 * gives it, and no other leaf names one. n = 4; with two blocks per epoch the leaf at height 1 (view 1, led by
 * replica 1) is the handover of epoch 0.
 */
class EpochHandoverTest {
    private static final Bytes32 TABLE_1 = CoreHarness.block("table of epoch 1");

    private final CoreHarness h = new CoreHarness(4);
    private final Epochs twoBlocks = Epochs.of(new EpochSchedule(2, 1), e -> Optional.of(
            EpochTable.everyMemberDa(h.config.stakes(), CoreHarness.block("table of epoch " + e))));

    private ConsensusCore core(int index, Epochs epochs) {
        return new ConsensusCore(h.config.withEpochs(epochs), h.signers[index], h.crypto,
                SafetyState.initial(CoreHarness.CHAIN), h.genesis);
    }

    private Leaf handoverLeaf(Bytes32 nextTable) {
        Leaf a = h.leafA();
        return new Leaf(a.chainId(), a.view(), a.height(), a.parentCommitment(), a.blockCommitment(), a.justifyView(),
                nextTable);
    }

    private Verdict receive(ConsensusCore replica, Leaf leaf) {
        replica.handle(new Input.Start(), 0);
        return verdict(replica.handle(new Input.ProposalReceived(1, h.proposal(leaf, h.genesisQc, Optional.empty())),
                10));
    }

    @Test
    void theLeaderOfTheLastBlockOfAnEpochNamesTheNextTable() {
        ConsensusCore leader = core(1, twoBlocks);
        leader.handle(new Input.Start(), 0);
        List<Effect> built = leader.handle(new Input.BlockBuilt(v(1), CoreHarness.block("a")), 1);
        Leaf proposed = effects(built, Effect.BroadcastProposal.class).getFirst().proposal().leaf();
        assertEquals(handoverLeaf(TABLE_1), proposed);
    }

    @Test
    void aHandoverWithTheRightTableIsVotedFor() {
        ConsensusCore replica = core(0, twoBlocks);
        assertInstanceOf(Verdict.Accept.class, receive(replica, handoverLeaf(TABLE_1)));
        List<Effect> da = replica.handle(new Input.DataAvailable(v(1), CoreHarness.block("a")), 11);
        assertEquals(1, effects(da, Effect.SendVote.class).size());
    }

    @Test
    void aHandoverThatOmitsTheTableIsRefused() {
        Verdict v = receive(core(0, twoBlocks), h.leafA());
        assertInstanceOf(Verdict.Reject.class, v);
        assertTrue(v.reason().contains("omits the table of epoch 1"), v.reason());
    }

    @Test
    void aHandoverWithAnotherTableIsRefusedAndNotVotedFor() {
        ConsensusCore replica = core(0, twoBlocks);
        Verdict v = receive(replica, handoverLeaf(CoreHarness.block("a table the source never gave")));
        assertInstanceOf(Verdict.Reject.class, v);
        assertTrue(v.reason().contains("as the table of epoch 1"), v.reason());
        List<Effect> da = replica.handle(new Input.DataAvailable(v(1), CoreHarness.block("a")), 11);
        assertTrue(effects(da, Effect.SendVote.class).isEmpty(), "no vote for a refused handover");
    }

    @Test
    void aLeafInsideAnEpochMayNotNameATable() {
        Verdict v = receive(core(0, Epochs.of(new EpochSchedule(3, 1), twoBlocks.tables())), handoverLeaf(TABLE_1));
        assertInstanceOf(Verdict.Reject.class, v);
        assertTrue(v.reason().contains("is not the last of epoch 0"), v.reason());
    }

    @Test
    void anUnknownNextTableBlocksTheHandoverWithoutBlamingTheLeader() {
        Epochs unknown = Epochs.of(new EpochSchedule(2, 1), e -> Optional.empty());
        assertInstanceOf(Verdict.Ignore.class, receive(core(0, unknown), handoverLeaf(TABLE_1)));
        ConsensusCore leader = core(1, unknown);
        leader.handle(new Input.Start(), 0);
        List<Effect> built = leader.handle(new Input.BlockBuilt(v(1), CoreHarness.block("a")), 1);
        assertTrue(effects(built, Effect.BroadcastProposal.class).isEmpty(), "no handover without its table");
    }

    @Test
    void withoutEpochsNoLeafHandsOverAndTheCommitmentKeepsItsEncoding() {
        assertInstanceOf(Verdict.Accept.class, receive(core(0, Epochs.NONE), h.leafA()));
        assertInstanceOf(Verdict.Reject.class, receive(core(0, Epochs.NONE), handoverLeaf(TABLE_1)));
        Leaf a = h.leafA();
        assertEquals(Digests.leaf(a.chainId(), a.view(), a.height(), a.parentCommitment(), a.blockCommitment(),
                a.justifyView()), a.commitment());
        assertNotEquals(a.commitment(), handoverLeaf(TABLE_1).commitment(), "the next table is certified");
    }

    /** The leaf of ConsensusRulesTest's golden vector, naming table 0x33..33; computed apart with js-sha3. */
    @Test
    void handoverCommitmentGoldenVector() {
        Leaf leaf = new Leaf(7, v(3), new Height(2), Bytes32.fromHex("11".repeat(32)), Bytes32.fromHex("22".repeat(32)),
                v(2), Bytes32.fromHex("33".repeat(32)));
        assertEquals("0x61ae338767466b6442ef5f9148a7f6cffdd7345cf7a902b14f3ea0614acc4754", leaf.commitment().toHex());
    }

    @Test
    void epochArithmetic() {
        Epochs four = Epochs.of(new EpochSchedule(4, 1), twoBlocks.tables());
        assertEquals(0, four.epochOf(Height.ZERO));
        assertEquals(List.of(false, false, false, true, false, false, false, true),
                java.util.stream.LongStream.range(0, 8).mapToObj(i -> four.isHandover(new Height(i))).toList());
        assertEquals(Optional.of(CoreHarness.block("table of epoch 2")), four.requiredNextTable(new Height(7)));
        assertEquals(Optional.of(Bytes32.ZERO), four.requiredNextTable(new Height(6)));
        assertTrue(!Epochs.NONE.isHandover(new Height(Long.MAX_VALUE - 1)));
        assertThrows(IllegalArgumentException.class, () -> Epochs.of(null, twoBlocks.tables()));
    }
}
