package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.market.BlockMarketRules;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.WindowActivity;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Blocks that carry bundles, through the real pipeline with signed bundles: a winner's two-rollup bundle passes for
 * a DA member and a header-only replica alike; a split bundle, a non-holder's bundle, an old window's bundle, a
 * sequence replayed on an undecided ancestor and a record the header does not bind are refused with their reasons;
 * the silence fallback follows the decided chain, rebuilt from stored blocks.
 */
class BundleBlocksPipelineTest {
    static final long CHAIN = RuntimeFixtures.CHAIN_ID;
    static final long L1 = 10;
    static final long NS_A = 10;
    static final long NS_B = 11;
    static final long SILENCE = 3;
    static final Secp256k1.KeyPair WINNER = Secp256k1.keyPair(BigInteger.valueOf(101));
    static final Secp256k1.KeyPair DEFAULT_A = Secp256k1.keyPair(BigInteger.valueOf(201));
    static final Secp256k1.KeyPair DEFAULT_B = Secp256k1.keyPair(BigInteger.valueOf(202));
    static final Secp256k1.KeyPair STRANGER = Secp256k1.keyPair(BigInteger.valueOf(999));
    static final long GENESIS_SEC = 1_700_000_000L;
    static final long SLOT_SEC = 12;

    final RuntimeFixtures f = new RuntimeFixtures();
    final Blocks blocks = new Blocks(CHAIN, RuntimeFixtures.N, 0);
    final FixedMarketState market = new FixedMarketState(L1, new MarketClock(new SlotClock(GENESIS_SEC, SLOT_SEC),
            FixedMarketState.SLOTS_PER_WINDOW, 3, 10), Map.of(NS_A, DEFAULT_A.address(), NS_B, DEFAULT_B.address()),
            Map.of(NS_A, WINNER.address(), NS_B, WINNER.address()));
    final BlockMarketRules rules = new BlockMarketRules(FixedMarketState.CHAIN_ID, FixedMarketState.MARKETPLACE);
    final BlockMarketCheck check = new BlockMarketCheck(market, rules, SILENCE);
    final Chain chain = new Chain();

    /** Genesis plus decided blocks kept in memory, with the decided fold done by the real {@link ChainActivity}. */
    final class Chain extends InMemoryChainView implements ChainActivity.Source {
        final List<KnownBlock> decided = new ArrayList<>();
        ChainActivity activity = new ChainActivity(this, check);

        @Override
        public boolean isDecided(Bytes32 h) {
            return decided.stream().anyMatch(b -> b.txHashes().contains(h));
        }

        @Override
        public long decidedTimestampMs(long height) {
            return decided.get((int) height - 1).header().timestampMs();
        }

        @Override
        public long decidedL1Head(long height) {
            return decided.get((int) height - 1).header().l1Head();
        }

        @Override
        public BlockMarketCheck.Judgement decidedActivity() {
            return activity.atTip();
        }

        @Override
        public long nextHeight() {
            return commitments.size();
        }

        @Override
        public long pruneFloor() {
            return 0;
        }

        @Override
        public Optional<BlockHeader> header(long height) {
            return height >= 1 && height <= decided.size() ? Optional.of(decided.get((int) height - 1).header()) : Optional.empty();
        }

        @Override
        public List<BundleRecord> bundles(long height) {
            return decided.get((int) height - 1).bundles();
        }

        void decide(Made m) {
            commitments.append(m.block().commitment());
            decided.add(new KnownBlock.Full(m.block(), 0));
        }
    }

    record Made(Blocks.Block block, Leaf leaf, Proposal proposal) {
    }

    BlockPipeline pipeline() {
        BlockPipeline p = new BlockPipeline(chain, 5_000, 1_000);
        p.handle(new PipelineInput.L1Seen(L1, 16), 0);
        p.enforceMarket(check);
        return p;
    }

    static long atSlot(long slot) {
        return (GENESIS_SEC + slot * SLOT_SEC) * 1000 + 500;
    }

    static Transaction tx(long ns, String tag) {
        return new Transaction(NamespaceId.of(ns), tag.getBytes());
    }

    static SignedBundle bundle(Secp256k1.KeyPair key, long window, long sequence, Transaction... txs) {
        return new Bundle(FixedMarketState.CHAIN_ID, FixedMarketState.MARKETPLACE, window, sequence, 999, List.of(txs)).sign(key);
    }

    /** Block contents as an honest leader lays them out: bundle transactions, loose ones, then the records. */
    static List<PendingTx> contents(List<SignedBundle> bundles, List<Transaction> extra, List<SignedBundle> records) {
        List<PendingTx> out = new ArrayList<>();
        for (SignedBundle b : bundles) {
            b.bundle().transactions().forEach(t -> out.add(PendingTx.of(t.namespace().value(), t.payload())));
        }
        extra.forEach(t -> out.add(PendingTx.of(t.namespace().value(), t.payload())));
        records.forEach(b -> out.add(PendingTx.of(BundleRecord.NAMESPACE, BundleRecord.of(b).encode())));
        return out;
    }

    Made make(long view, Leaf parent, List<Bytes32> ancestors, long tsMs, List<PendingTx> txs) {
        Blocks.Block b = blocks.build(parent.height().value() + 1, view, parent.blockCommitment(), tsMs, L1,
                chain.blockCommRoot(ancestors), txs);
        Leaf leaf = new Leaf(CHAIN, View.of(view), new Height(parent.height().value() + 1), parent.commitment(), b.commitment(),
                View.ZERO);
        chain.leaves.put(leaf.commitment(), leaf);
        return new Made(b, leaf, f.proposal(leaf, f.leader(view)));
    }

    Made make(long view, Leaf parent, List<Bytes32> ancestors, long tsMs, SignedBundle... bundles) {
        return make(view, parent, ancestors, tsMs, contents(List.of(bundles), List.of(), List.of(bundles)));
    }

    static BlockVerdict judge(BlockPipeline p, Made m, KnownBlock as, long nowMs) {
        List<PipelineEffect.Checked> v = PipelineEffect.verdicts(p.handle(new PipelineInput.Proposed(m.proposal(), as), nowMs));
        assertEquals(1, v.size());
        return v.getFirst().verdict();
    }

    static BlockVerdict judge(BlockPipeline p, Made m, long nowMs) {
        return judge(p, m, new KnownBlock.Full(m.block(), 0), nowMs);
    }

    KnownBlock.HeaderOnly headerOnly(Made m, List<byte[]> records) throws BlockRejected {
        Blocks.Block b = m.block();
        return new Blocks(CHAIN, RuntimeFixtures.N, 3).checkHeaderOnly(new NodeMessage.ShareProposalMsg(m.proposal(),
                b.data().header(), b.data().nsTable(), b.share(3).encode(), b.txCounts(), b.txHashes(), records), m.leaf());
    }

    String id(SignedBundle b) {
        return b.id().toString();
    }

    @Test
    void theWinnersTwoRollupBundlePassesForACommitteeMemberAndAHeaderOnlyReplica() throws BlockRejected {
        long ts = atSlot(1);
        SignedBundle both = bundle(WINNER, 0, 0, tx(NS_A, "a1"), tx(NS_B, "b1"));
        Made m = make(1, Leaf.genesis(CHAIN), List.of(), ts, both);
        assertEquals(List.of(BundleRecord.of(both)), m.block().bundles());
        assertInstanceOf(BlockVerdict.Accept.class, judge(pipeline(), m, ts));
        KnownBlock.HeaderOnly h = headerOnly(m, m.block().bundleRecordBytes());
        assertEquals(List.of(BundleRecord.of(both)), h.bundles());
        assertInstanceOf(BlockVerdict.Accept.class, judge(pipeline(), m, h, ts));
    }

    @Test
    void aSplitBundleANonHoldersBundleAndAnOldWindowsBundleAreRejected() {
        long ts = atSlot(1);
        BlockPipeline p = pipeline();
        Leaf g = Leaf.genesis(CHAIN);
        SignedBundle both = bundle(WINNER, 0, 0, tx(NS_A, "a1"), tx(NS_B, "b1"));
        // The leader keeps the record and namespace A's transaction but leaves namespace B's out.
        Made split = make(1, g, List.of(), ts, contents(List.of(), List.of(tx(NS_A, "a1")), List.of(both)));
        assertEquals(new BlockVerdict.Reject("sequencing rights: namespace 11 holds 0 transactions, but its bundles hold 1:"
                + " a restricted namespace takes whole bundles only"), judge(p, split, ts));
        SignedBundle stranger = bundle(STRANGER, 0, 0, tx(NS_A, "a2"));
        assertEquals(new BlockVerdict.Reject("sequencing rights: bundle " + id(stranger) + " signed by "
                + STRANGER.address().toHex() + " touches namespace 10, which only " + WINNER.address().toHex()
                + " may sequence (sold)"), judge(p, make(2, g, List.of(), ts, stranger), ts));
        SignedBundle old = bundle(WINNER, 1, 0, tx(NS_A, "a3"));
        assertEquals(new BlockVerdict.Reject("sequencing rights: bundle " + id(old) + " is for window 1, the block is in"
                + " window 0"), judge(p, make(3, g, List.of(), ts, old), ts));
    }

    @Test
    void aSequenceOrABundleAlreadyOnAnUndecidedAncestorIsRejected() {
        long ts = atSlot(1);
        BlockPipeline p = pipeline();
        Leaf g = Leaf.genesis(CHAIN);
        SignedBundle first = bundle(WINNER, 0, 0, tx(NS_A, "a1"));
        Made parent = make(1, g, List.of(), ts, first);
        assertInstanceOf(BlockVerdict.Accept.class, judge(p, parent, ts));
        SignedBundle sameSequence = bundle(WINNER, 0, 0, tx(NS_A, "a2"));
        assertEquals(new BlockVerdict.Reject("sequencing rights: bundle " + id(sameSequence) + " has sequence 0, but "
                + WINNER.address().toHex() + " is already at 0 in window 0"),
                judge(p, make(2, parent.leaf(), List.of(parent.block().commitment()), ts, sameSequence), ts));
        // The very same bundle again: its record is a transaction already in flight.
        BlockVerdict again = judge(p, make(3, parent.leaf(), List.of(parent.block().commitment()), ts, first), ts);
        assertTrue(again instanceof BlockVerdict.Reject r && r.reason().endsWith(" is repeated, in flight or already decided"),
                again.toString());
        SignedBundle next = bundle(WINNER, 0, 1, tx(NS_A, "a3"));
        assertInstanceOf(BlockVerdict.Accept.class,
                judge(p, make(4, parent.leaf(), List.of(parent.block().commitment()), ts, next), ts));
    }

    @Test
    void aHeaderOnlyReplicaRefusesRecordsTheHeaderDoesNotBind() {
        long ts = atSlot(1);
        SignedBundle b = bundle(WINNER, 0, 0, tx(NS_A, "a1"));
        Made m = make(1, Leaf.genesis(CHAIN), List.of(), ts, b);
        byte[] other = BundleRecord.of(bundle(WINNER, 0, 5, tx(NS_A, "a1"))).encode();
        assertEquals("bundle record 0 of 1 is not the block's reserved-namespace transaction (the header binds 1)",
                assertThrows(BlockRejected.class, () -> headerOnly(m, List.of(other))).getMessage());
        assertEquals("bundle record 0 of 0 is not the block's reserved-namespace transaction (the header binds 1)",
                assertThrows(BlockRejected.class, () -> headerOnly(m, List.of())).getMessage());
        byte[] junk = new byte[7];
        assertEquals("bundle record 0 is malformed: bundle record of 7 bytes, outside 134..163934",
                assertThrows(BlockRejected.class, () -> headerOnly(m, List.of(junk))).getMessage());
    }

    @Test
    void theDefaultSequencerTakesOverOnlyAfterTheSilenceAndTheFoldSurvivesARestart() {
        Leaf g = Leaf.genesis(CHAIN);
        SignedBundle winner0 = bundle(WINNER, 0, 0, tx(NS_A, "w0"));
        Made first = make(1, g, List.of(), atSlot(1), winner0);
        assertInstanceOf(BlockVerdict.Accept.class, judge(pipeline(), first, atSlot(1)));
        chain.decide(first);
        // The winner was last active at slot 1: at slot 1 + SILENCE - 1 it still holds namespace A...
        long early = atSlot(1 + SILENCE - 1);
        SignedBundle byDefault = bundle(DEFAULT_A, 0, 0, tx(NS_A, "d0"));
        List<Bytes32> none = List.of();
        assertEquals(new BlockVerdict.Reject("sequencing rights: bundle " + id(byDefault) + " signed by "
                + DEFAULT_A.address().toHex() + " touches namespace 10, which only " + WINNER.address().toHex()
                + " may sequence (sold)"), judge(pipeline(), make(2, first.leaf(), none, early, byDefault), early));
        // ...and from slot 1 + SILENCE its default sequencer does, on a freshly started node that rebuilt the fold.
        chain.activity = new ChainActivity(chain, check);
        long late = atSlot(1 + SILENCE);
        Made fallback = make(3, first.leaf(), none, late, byDefault);
        BlockPipeline restarted = pipeline();
        assertInstanceOf(BlockVerdict.Accept.class, judge(restarted, fallback, late));
        SignedBundle winnerLate = bundle(WINNER, 0, 1, tx(NS_A, "w1"));
        assertEquals(new BlockVerdict.Reject("sequencing rights: bundle " + id(winnerLate) + " signed by "
                        + WINNER.address().toHex() + " touches namespace 10, which only " + DEFAULT_A.address().toHex()
                        + " may sequence (fallback)"),
                judge(restarted, make(4, first.leaf(), none, late, winnerLate), late));
        WindowActivity folded = ((BlockMarketCheck.Judgement.Pass) chain.activity.atTip()).after();
        assertEquals(0, folded.lastSequenceOf(WINNER.address()));
        assertEquals(-1, folded.lastSequenceOf(DEFAULT_A.address()));
    }

    @Test
    void theLeaderTakesWholeBundlesInSequenceOrderAndOnlyFromHolders() {
        long ts = atSlot(1);
        BundlePool pool = new BundlePool(16, 64, 1 << 20);
        SignedBundle s0 = bundle(WINNER, 0, 0, tx(NS_A, "a0"), tx(NS_B, "b0"));
        SignedBundle s1 = bundle(WINNER, 0, 1, tx(NS_B, "b1"));
        SignedBundle stranger = bundle(STRANGER, 0, 0, tx(NS_A, "x"));
        SignedBundle nextWindow = bundle(WINNER, 1, 0, tx(NS_A, "n"));
        for (SignedBundle b : List.of(s1, stranger, s0, nextWindow)) {
            pool.add(b, b.signer().orElseThrow(), 100);
        }
        BlockMarketCheck.BuildContext.Known ctx = assertInstanceOf(BlockMarketCheck.BuildContext.Known.class,
                check.buildContext(ts, L1, new BlockMarketCheck.Judgement.Pass(null)));
        BundleSelection.Chosen chosen = BundleSelection.choose(ctx.slot(), ctx.market(), ctx.activity(), pool.forWindow(0),
                Set.of(), h -> false, 1 << 20, 1_000);
        assertEquals(2, chosen.bundles());
        List<PendingTx> txs = chosen.txs();
        assertEquals(List.of(NS_A, NS_B, NS_B, BundleRecord.NAMESPACE, BundleRecord.NAMESPACE),
                txs.stream().map(PendingTx::namespace).toList());
        Made m = make(1, Leaf.genesis(CHAIN), List.of(), ts, txs);
        assertEquals(List.of(BundleRecord.of(s0), BundleRecord.of(s1)), m.block().bundles());
        assertInstanceOf(BlockVerdict.Accept.class, judge(pipeline(), m, ts));
        // Too small a budget for the first bundle: nothing of that signer, never a part of a bundle.
        BundleSelection.Chosen tight = BundleSelection.choose(ctx.slot(), ctx.market(), ctx.activity(), pool.forWindow(0),
                Set.of(), h -> false, 100, 1_000);
        assertEquals(0, tight.bundles());
        // A decided sequence makes the pooled bundle stale.
        BundleSelection.Chosen afterDecide = BundleSelection.choose(ctx.slot(), ctx.market(),
                ctx.activity().afterBlock(ctx.slot(), Map.of(WINNER.address(), 0L)), pool.forWindow(0), Set.of(),
                h -> false, 1 << 20, 1_000);
        assertEquals(List.of(s0.id()), afterDecide.stale());
        assertEquals(1, afterDecide.bundles());
    }
}
