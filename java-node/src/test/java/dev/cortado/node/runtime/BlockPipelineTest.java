package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The block pipeline on its own: verdicts, deferral and release, building inputs, and the timestamp drift rule. */
class BlockPipelineTest {
    private static final long CHAIN = RuntimeFixtures.CHAIN_ID;
    private static final long DRIFT_MS = 5_000;
    private static final long NOW_MS = 1_700_000_000_000L;
    private final RuntimeFixtures f = new RuntimeFixtures();
    private final Blocks blocks = new Blocks(CHAIN, RuntimeFixtures.N, 0);
    private final FakeChain chain = new FakeChain();
    private final BlockPipeline pipeline = new BlockPipeline(chain, DRIFT_MS, 1_000);

    /** Genesis decided; leaves known by commitment, as the core would hold them. */
    private static final class FakeChain extends InMemoryChainView {
        final Set<Bytes32> decidedTxs = new HashSet<>();

        @Override
        public boolean isDecided(Bytes32 h) {
            return decidedTxs.contains(h);
        }

        @Override
        public long decidedTimestampMs(long height) {
            return 0;
        }

        @Override
        public long decidedL1Head(long height) {
            return 0;
        }
    }

    private record Made(Blocks.Block block, Leaf leaf, Proposal proposal) {
    }

    /** A block in {@code view} on {@code parent} (whose block is {@code parentBlock}, null for genesis). */
    private Made make(long view, Leaf parent, List<Bytes32> ancestors, long timestampMs, String... txs) {
        return makeAt(0, view, parent, ancestors, timestampMs, txs);
    }

    /** As {@link #make}, with header l1Head {@code l1Head}. */
    private Made makeAt(long l1Head, long view, Leaf parent, List<Bytes32> ancestors, long timestampMs, String... txs) {
        return makeIn(7, l1Head, view, parent, ancestors, timestampMs, txs);
    }

    /** As {@link #makeAt}, with every transaction in {@code namespace}. */
    private Made makeIn(long namespace, long l1Head, long view, Leaf parent, List<Bytes32> ancestors, long timestampMs,
                        String... txs) {
        List<PendingTx> pending = new ArrayList<>();
        for (String t : txs) {
            pending.add(PendingTx.of(namespace, t.getBytes()));
        }
        Blocks.Block b = blocks.build(parent.height().value() + 1, view, parent.blockCommitment(), timestampMs, l1Head,
                chain.blockCommRoot(ancestors), pending);
        Leaf leaf = new Leaf(CHAIN, View.of(view), new Height(parent.height().value() + 1), parent.commitment(), b.commitment(), View.ZERO);
        chain.leaves.put(leaf.commitment(), leaf);
        return new Made(b, leaf, f.proposal(leaf, f.leader(view)));
    }

    private BlockVerdict propose(Made m, KnownBlock as, long nowMs) {
        List<PipelineEffect.Checked> v = PipelineEffect.verdicts(pipeline.handle(new PipelineInput.Proposed(m.proposal(), as), nowMs));
        assertEquals(1, v.size());
        return v.getFirst().verdict();
    }

    private BlockVerdict propose(Made m, long nowMs) {
        return propose(m, new KnownBlock.Full(m.block(), 0), nowMs);
    }

    private static KnownBlock.HeaderOnly headerOnly(Blocks.Block b, Made m) throws BlockRejected {
        return new Blocks(CHAIN, RuntimeFixtures.N, 3).checkHeaderOnly(new NodeMessage.ShareProposalMsg(m.proposal(),
                b.data().header(), b.data().nsTable(), b.share(3).encode(), b.txCounts(), b.txHashes(), b.bundleRecordBytes()), m.leaf());
    }

    @Test
    void headerTimestampsAreAcceptedWithinTheDriftBothWaysAndRejectedBeyond() {
        Leaf g = Leaf.genesis(CHAIN);
        assertInstanceOf(BlockVerdict.Accept.class, propose(make(1, g, List.of(), NOW_MS + DRIFT_MS, "a"), NOW_MS));
        assertInstanceOf(BlockVerdict.Accept.class, propose(make(2, g, List.of(), NOW_MS - DRIFT_MS, "b"), NOW_MS));
        long ahead = NOW_MS + DRIFT_MS + 1;
        assertEquals(new BlockVerdict.Reject("timestamp " + ahead + " is more than 5000 ms from this node's clock " + NOW_MS),
                propose(make(3, g, List.of(), ahead, "c"), NOW_MS));
        long behind = NOW_MS - DRIFT_MS - 1;
        assertEquals(new BlockVerdict.Reject("timestamp " + behind + " is more than 5000 ms from this node's clock " + NOW_MS),
                propose(make(4, g, List.of(), behind, "d"), NOW_MS));
    }

    @Test
    void aNodeWhoseClockIsSkewedJudgesByItsOwnClock() {
        // An honest leader stamps real time; a replica 10 s fast sees it 10 s behind, beyond the 5 s drift.
        Made honest = make(1, Leaf.genesis(CHAIN), List.of(), NOW_MS, "a");
        long skewedNow = NOW_MS + 10_000;
        assertEquals(new BlockVerdict.Reject("timestamp " + NOW_MS + " is more than 5000 ms from this node's clock " + skewedNow),
                propose(honest, skewedNow));
        BlockPipeline tolerant = new BlockPipeline(chain, 15_000, 1_000);
        assertInstanceOf(BlockVerdict.Accept.class, PipelineEffect.verdicts(tolerant.handle(
                new PipelineInput.Proposed(honest.proposal(), new KnownBlock.Full(honest.block(), 0)), skewedNow)).getFirst().verdict());
    }

    @Test
    void aChildMayNotRunBeforeItsParentOrRepeatItsTransactions() {
        Made parent = make(1, Leaf.genesis(CHAIN), List.of(), NOW_MS, "a", "b");
        assertInstanceOf(BlockVerdict.Accept.class, propose(parent, NOW_MS));
        List<Bytes32> ancestors = List.of(parent.block().commitment());
        long early = NOW_MS - 1;
        assertEquals(new BlockVerdict.Reject("timestamp " + early + " is before the parent's " + NOW_MS),
                propose(make(2, parent.leaf(), ancestors, early, "c"), NOW_MS));
        Made repeat = make(3, parent.leaf(), ancestors, NOW_MS, "b");
        assertEquals(new BlockVerdict.Reject("transaction " + repeat.block().txHashes().getFirst() + " is repeated, in flight or already decided"),
                propose(repeat, NOW_MS));
        assertInstanceOf(BlockVerdict.Accept.class, propose(make(4, parent.leaf(), ancestors, NOW_MS, "c"), NOW_MS));
    }

    @Test
    void aLeaderBuildsOnAnAncestorItHoldsOnlyAsHeaderAndHashes() throws BlockRejected {
        Made parent = make(1, Leaf.genesis(CHAIN), List.of(), NOW_MS, "a", "b");
        assertInstanceOf(BlockVerdict.Accept.class, propose(parent, headerOnly(parent.block(), parent), NOW_MS));
        List<PipelineEffect> effects = pipeline.handle(new PipelineInput.Build(View.of(2), parent.leaf(), 0), NOW_MS + 10);
        assertEquals(1, effects.size(), effects::toString);
        PipelineEffect.BuildReady ready = assertInstanceOf(PipelineEffect.BuildReady.class, effects.getFirst());
        assertEquals(Set.copyOf(parent.block().txHashes()), ready.inFlight());
        assertEquals(NOW_MS + 10, ready.timestampMs());
        assertEquals(chain.blockCommRoot(List.of(parent.block().commitment())), ready.blockCommRoot());
    }

    @Test
    void aMissingAncestorDefersFetchesOnceAndReleasesTheProposalOnArrival() {
        Made parent = make(1, Leaf.genesis(CHAIN), List.of(), NOW_MS, "a");
        Made child = make(2, parent.leaf(), List.of(parent.block().commitment()), NOW_MS, "b");
        List<PipelineEffect> first = pipeline.handle(new PipelineInput.Proposed(child.proposal(), new KnownBlock.Full(child.block(), 0)), NOW_MS);
        assertEquals(List.of(new PipelineEffect.FetchBlock(parent.block().commitment(), java.util.OptionalInt.empty()),
                new PipelineEffect.Checked(child.proposal(), new KnownBlock.Full(child.block(), 0),
                        BlockVerdict.Defer.ancestor(parent.block().commitment()))), first);
        // A build on the same parent within the re-request pause waits without asking again.
        List<PipelineEffect> build = pipeline.handle(new PipelineInput.Build(View.of(2), parent.leaf(), 0), NOW_MS + 50);
        assertEquals(List.of(new PipelineEffect.BuildDeferred(View.of(2), parent.leaf(), 0, parent.block().commitment(),
                BlockPipeline.BUILD_RETRY_MS)), build);
        assertEquals(parent.leaf(), pipeline.wantedLeaf(parent.block().commitment()));
        // Arrival long after the drift: the child is judged at the clock it arrived at.
        List<PipelineEffect> released = pipeline.handle(new PipelineInput.Fetched(new KnownBlock.Full(parent.block(), 0)), NOW_MS + 60_000);
        assertEquals(List.of(new PipelineEffect.Checked(child.proposal(), new KnownBlock.Full(child.block(), 0), new BlockVerdict.Accept())),
                released);
        assertEquals(0, pipeline.deferredCount());
        assertEquals(0, pipeline.wantedCount());
    }

    @Test
    void transactionHashesMustRebuildTheHeadersPayloadRoot() {
        Made m = make(1, Leaf.genesis(CHAIN), List.of(), NOW_MS, "a", "b", "c");
        Blocks.Block b = m.block();
        List<Bytes32> forged = new ArrayList<>(b.txHashes());
        forged.set(1, Bytes32.ZERO);
        BlockRejected e = assertThrows(BlockRejected.class, () -> new Blocks(CHAIN, RuntimeFixtures.N, 3).checkHeaderOnly(
                new NodeMessage.ShareProposalMsg(m.proposal(), b.data().header(), b.data().nsTable(), b.share(3).encode(), b.txCounts(),
                        forged, List.of()), m.leaf()));
        assertTrue(e.getMessage().startsWith("transaction hashes give payloadRoot "), e.getMessage());
        BlockRejected counts = assertThrows(BlockRejected.class, () -> new Blocks(CHAIN, RuntimeFixtures.N, 3).checkHeaderOnly(
                new NodeMessage.ShareProposalMsg(m.proposal(), b.data().header(), b.data().nsTable(), b.share(3).encode(), List.of(2),
                        b.txHashes(), List.of()), m.leaf()));
        assertEquals("1 transaction hashes beyond the namespaces' counts", counts.getMessage());
    }

    @Test
    void wantedBlocksAndDeferredProposalsStayBounded() {
        for (int i = 0; i < 2_000; i++) {
            Leaf leaf = RuntimeFixtures.leaf(5, 1, Bytes32.of(java.nio.ByteBuffer.allocate(32).putInt(i).array()));
            pipeline.handle(new PipelineInput.Want(leaf, 1), NOW_MS);
        }
        assertEquals(BlockPipeline.MAX_WANTED, pipeline.wantedCount());
    }

    @Test
    void l1HeadMayNotGoBehindTheParentNorBeyondTheLeadAndWaitsForTheFollowerInBetween() {
        pipeline.handle(new PipelineInput.L1Seen(100, 16), NOW_MS);
        Made parent = makeAt(100, 1, Leaf.genesis(CHAIN), List.of(), NOW_MS, "a");
        assertInstanceOf(BlockVerdict.Accept.class, propose(parent, NOW_MS));
        List<Bytes32> above = List.of(parent.block().commitment());
        assertEquals(new BlockVerdict.Reject("l1Head 99 is behind the parent's 100"),
                propose(makeAt(99, 2, parent.leaf(), above, NOW_MS, "b"), NOW_MS));
        assertEquals(new BlockVerdict.Reject("l1Head 117 is more than 16 blocks beyond this node's followed L1 block 100"),
                propose(makeAt(117, 3, parent.leaf(), above, NOW_MS, "c"), NOW_MS));
        // Equal to the parent's, and at the edge of the lead: the latter waits for this node's follower.
        assertInstanceOf(BlockVerdict.Accept.class, propose(makeAt(100, 4, parent.leaf(), above, NOW_MS, "d"), NOW_MS));
        Made ahead = makeAt(116, 5, parent.leaf(), above, NOW_MS, "e");
        assertEquals(BlockVerdict.Defer.l1(116, 100), propose(ahead, NOW_MS));
        assertEquals(1, pipeline.deferredCount());
        // A follower still short of the block keeps it waiting; reaching it releases it, judged at its arrival clock.
        assertEquals(List.of(), pipeline.handle(new PipelineInput.L1Seen(110, 16), NOW_MS + 60_000));
        assertEquals(List.of(new PipelineEffect.Checked(ahead.proposal(), new KnownBlock.Full(ahead.block(), 0),
                new BlockVerdict.Accept())), pipeline.handle(new PipelineInput.L1Seen(116, 16), NOW_MS + 60_000));
        assertEquals(0, pipeline.deferredCount());
    }

    @Test
    void aBlockWaitingForL1WhoseViewEndsIsIgnoredAndAWrongOneIsRejectedWithoutWaiting() {
        Made waiting = makeAt(5, 1, Leaf.genesis(CHAIN), List.of(), NOW_MS, "a");
        assertEquals(BlockVerdict.Defer.l1(5, 0), propose(waiting, NOW_MS));
        List<PipelineEffect.Checked> ended = PipelineEffect.verdicts(pipeline.handle(new PipelineInput.ViewIs(2), NOW_MS));
        assertInstanceOf(BlockVerdict.Ignore.class, ended.getFirst().verdict());
        assertEquals(0, pipeline.deferredCount());
        // A block that breaks another rule is rejected at once, not parked until the follower catches up.
        long ahead = NOW_MS + DRIFT_MS + 1;
        assertEquals(new BlockVerdict.Reject("timestamp " + ahead + " is more than 5000 ms from this node's clock " + NOW_MS),
                propose(makeAt(5, 3, Leaf.genesis(CHAIN), List.of(), ahead, "b"), NOW_MS));
        assertEquals(0, pipeline.deferredCount());
    }

    @Test
    void theLeaderStampsItsFollowedBlockAndNeverLessThanTheParents() {
        Leaf g = Leaf.genesis(CHAIN);
        PipelineEffect.BuildReady noL1 = assertInstanceOf(PipelineEffect.BuildReady.class,
                pipeline.handle(new PipelineInput.Build(View.of(1), g, 0), NOW_MS).getFirst());
        assertEquals(0, noL1.l1Head());
        pipeline.handle(new PipelineInput.L1Seen(40, 16), NOW_MS);
        PipelineEffect.BuildReady withL1 = assertInstanceOf(PipelineEffect.BuildReady.class,
                pipeline.handle(new PipelineInput.Build(View.of(1), g, 0), NOW_MS).getFirst());
        assertEquals(40, withL1.l1Head());
        // A parent stamped beyond what this leader has seen (within the lead): the child keeps the parent's l1Head.
        Made parent = makeAt(50, 2, g, List.of(), NOW_MS, "a");
        assertEquals(BlockVerdict.Defer.l1(50, 40), propose(parent, NOW_MS));
        PipelineEffect.BuildReady onParent = assertInstanceOf(PipelineEffect.BuildReady.class,
                pipeline.handle(new PipelineInput.Build(View.of(3), parent.leaf(), 0), NOW_MS).getFirst());
        assertEquals(50, onParent.l1Head());
    }

    @Test
    void theLeaderStampsAFollowedBlockOnlyAfterTheAdoptionDelayWhileReplicasCheckAsBefore() {
        Leaf g = Leaf.genesis(CHAIN);
        pipeline.handle(new PipelineInput.L1Seen(40, 16, 750), NOW_MS);
        assertEquals(0, buildL1Head(g, NOW_MS + 749), "followed 749 ms ago: replicas may not have polled yet");
        assertEquals(40, buildL1Head(g, NOW_MS + 750));
        pipeline.handle(new PipelineInput.L1Seen(41, 16, 750), NOW_MS + 1_000);
        pipeline.handle(new PipelineInput.L1Seen(42, 16, 750), NOW_MS + 1_100);
        assertEquals(40, buildL1Head(g, NOW_MS + 1_749));
        assertEquals(41, buildL1Head(g, NOW_MS + 1_750));
        assertEquals(42, buildL1Head(g, NOW_MS + 1_850));
        // What this node accepts from other leaders still goes by what it has followed, at once.
        Made child = makeAt(42, 1, g, List.of(), NOW_MS + 1_100, "a");
        assertEquals(new BlockVerdict.Accept(), propose(child, NOW_MS + 1_100));
    }

    private long buildL1Head(Leaf parent, long nowMs) {
        return assertInstanceOf(PipelineEffect.BuildReady.class,
                pipeline.handle(new PipelineInput.Build(View.of(1), parent, 0), nowMs).getFirst()).l1Head();
    }

    @Test
    void aLooseTransactionInASoldNamespaceIsRejectedAndOpenNamespacesPass() {
        long genesisSec = NOW_MS / 1000 - 60;
        pipeline.handle(new PipelineInput.L1Seen(10, 16), NOW_MS);
        pipeline.enforceMarket(new BlockMarketCheck(FixedMarketState.soldNamespace(11, 10, genesisSec),
                new dev.cortado.node.market.BlockMarketRules(FixedMarketState.CHAIN_ID, FixedMarketState.MARKETPLACE)));
        Leaf g = Leaf.genesis(CHAIN);
        assertEquals(new BlockVerdict.Reject("sequencing rights: namespace 11 holds 1 transactions, but its bundles hold 0:"
                        + " a restricted namespace takes whole bundles only"),
                propose(makeIn(11, 10, 1, g, List.of(), NOW_MS, "loose"), NOW_MS));
        assertInstanceOf(BlockVerdict.Accept.class, propose(makeIn(12, 10, 2, g, List.of(), NOW_MS, "open"), NOW_MS));
        assertEquals(new BlockVerdict.Reject("marketplace state of window 0 at l1Head 0 is unavailable:"
                        + " L1 block 0 is before the marketplace's deployment"),
                propose(makeIn(12, 0, 3, g, List.of(), NOW_MS, "no-l1"), NOW_MS));
    }

    @Test
    void theLeaderTakesLooseTransactionsOnlyForOpenNamespaces() {
        long genesisSec = NOW_MS / 1000 - 60;
        BlockMarketCheck m = new BlockMarketCheck(FixedMarketState.soldNamespace(11, 10, genesisSec),
                new dev.cortado.node.market.BlockMarketRules(FixedMarketState.CHAIN_ID, FixedMarketState.MARKETPLACE));
        assertEquals(false, m.openForLoose(11, NOW_MS, 10));
        assertEquals(true, m.openForLoose(12, NOW_MS, 10));
        // State not known at that L1 block: closed, so an honest leader never builds a block replicas reject.
        assertEquals(false, m.openForLoose(12, NOW_MS, 11));
        // Before the marketplace's genesis there is no window and nothing is restricted.
        assertEquals(true, m.openForLoose(11, (genesisSec - 1) * 1000, 10));
    }
}
