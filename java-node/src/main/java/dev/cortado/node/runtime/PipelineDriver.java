package dev.cortado.node.runtime;

import dev.cortado.node.cdn.Topic;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives {@link BlockPipeline} on the event thread: runs the cheap proposal screen, hands screened blocks to the
 * {@link BlockCheckWorkers} for the stateless checks, feeds the pipeline their verdicts, and carries out its effects
 * (verdicts to the DA gate, fetches, block building).
 */
final class PipelineDriver {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineDriver.class);
    static final long BUILD_POLL_MS = 2;

    private final NodeSettings settings;
    private final PeerLink peers;
    private final Blocks blocks;
    private final Mempool mempool;
    private final DecidedChain chain;
    private final CoreLink core;
    private final ProposalScreen screen;
    private final NodeMetrics metrics;
    private final Misbehaviour misbehaviour;
    private final NodeClock clock;
    private final BiConsumer<NodeEvent, Long> later;
    private final BlockPipeline pipeline;
    private final int maxTxs;
    private DaGate daGate;
    private BlockCheckWorkers checks;
    private Runnable behind = () -> { };
    /** The L1 follower's followed block, set from another thread when the node attaches one; read on the event thread. */
    private volatile java.util.function.LongSupplier l1Followed = () -> 0L;
    /** The followed L1 state, asked to poll when a proposal waits for an L1 block it has not followed. */
    private volatile dev.cortado.node.l1.MarketState l1State;
    private volatile long maxL1LeadBlocks = BlockPipeline.DEFAULT_MAX_L1_LEAD_BLOCKS;
    /** Proposal arrival and deferral times, for the stage timers. */
    private final ProposalTimes times;

    PipelineDriver(NodeSettings settings, PeerLink peers, Blocks blocks, Mempool mempool, DecidedChain chain, CoreLink core,
            ProposalScreen screen, NodeMetrics metrics, Misbehaviour misbehaviour, NodeClock clock, BiConsumer<NodeEvent, Long> later) {
        this.settings = settings;
        this.peers = peers;
        this.blocks = blocks;
        this.mempool = mempool;
        this.chain = chain;
        this.core = core;
        this.screen = screen;
        this.metrics = metrics;
        this.misbehaviour = misbehaviour;
        this.clock = clock;
        this.later = later;
        this.maxTxs = Blocks.maxTransactions(settings.maxBlockBytes());
        this.times = new ProposalTimes(metrics.stages);
        this.pipeline = new BlockPipeline(new NodeChainView(core, chain, () -> chainActivity), settings.maxClockDriftMs(),
                maxTxs);
    }

    /** Wired after construction: the gate and the pipeline point at each other; blocks are checked on {@code checks}. */
    void connect(DaGate gate, Runnable catchUpRequest, BlockCheckWorkers checks) {
        this.checks = checks;
        this.daGate = gate;
        pipeline.attachDa(gate.ledger());
        this.behind = catchUpRequest;
    }

    private volatile BlockMarketCheck marketToEnforce;
    /** The rule the pipeline enforces (event thread only); null without an L1 follower. */
    private BlockMarketCheck enforced;
    /** The decided chain's sequencing-rights state (event thread only); null without an L1 follower. */
    private ChainActivity chainActivity;
    /** Admitted bundles to build from; null when this node takes no bundles. */
    private volatile dev.cortado.node.market.BundlePool bundlePool;

    /**
     * From now on headers carry, and are checked against, what the follower reports, and blocks must keep the
     * marketplace's rule. Any thread; the pipeline takes it over on the event thread ({@link #pollL1}).
     */
    void followL1(dev.cortado.node.l1.MarketState market, long maxLeadBlocks, long l1ChainId,
                  dev.cortado.protocol.types.Address marketplace, long silenceSlots) {
        this.maxL1LeadBlocks = maxLeadBlocks;
        dev.cortado.node.market.BlockMarketRules rules = new dev.cortado.node.market.BlockMarketRules(l1ChainId, marketplace);
        chain.bundleDomain(rules);
        this.marketToEnforce = new BlockMarketCheck(market, rules, silenceSlots);
        this.l1Followed = market::followedBlock;
        this.l1State = market;
    }

    /** From now on this node, as leader, includes bundles from {@code pool} (any thread). */
    void takeBundles(dev.cortado.node.market.BundlePool pool) {
        this.bundlePool = pool;
    }

    /** A block was decided: its bundles leave the pool, and the fold moves to it (event thread). */
    void decided(KnownBlock b) {
        BlockMarketCheck m = enforced;
        if (m != null && chainActivity != null) {
            chainActivity.atTip(); // folds and publishes the new tip now, so the API's status follows every decide
        }
        dev.cortado.node.market.BundlePool pool = bundlePool;
        if (pool == null || m == null) {
            return;
        }
        for (BundleRecord r : b.bundles()) {
            pool.remove(r.digest(m.rules().chainId(), m.rules().marketplace()));
        }
    }

    /** Tells the pipeline how far the follower got (event thread; on every tick, proposal and build). */
    void pollL1() {
        BlockMarketCheck m = marketToEnforce;
        if (m != null) {
            marketToEnforce = null;
            pipeline.enforceMarket(m);
            enforced = m;
            chainActivity = new ChainActivity(ChainActivity.Source.of(chain), m);
        }
        long followed = Math.max(0L, l1Followed.getAsLong());
        long lead = maxL1LeadBlocks;
        if (followed > pipeline.l1SeenBlock()) {
            dev.cortado.node.l1.MarketState l1 = l1State;
            // One and a half intervals: a follower polls an interval after its last poll ended, not started.
            long adoptAfterMs = l1 == null ? 0 : l1.pollIntervalMs() * 3 / 2;
            run(pipeline.handle(new PipelineInput.L1Seen(followed, lead, adoptAfterMs), clock.wallMs()));
        }
    }

    BlockPipeline pipeline() {
        return pipeline;
    }

    void handle(PipelineInput input) {
        run(pipeline.handle(input, clock.wallMs()));
    }

    /** The cheap checks; only {@code CheckBlock} lets the caller spend a block check on the proposal. */
    private boolean screened(int from, Proposal p) {
        times.arrived(p.leaf().view().value());
        switch (screen.screen(from, p, core.currentView(), chain.nextHeight(), core.currentEpoch())) {
            case ProposalScreen.Outcome.Drop d -> {
                LOG.info("node {}: dropped a proposal of {} from {}: {}", peers.me, p.leaf().view(), from, d.reason());
                misbehaviour.count(d.kind());
                return false;
            }
            case ProposalScreen.Outcome.CoreOnly c -> {
                core.noteJustify(p.justifyQc());
                if (c.secondBlock()) {
                    misbehaviour.count(Misbehaviour.Kind.PROPOSAL_SECOND_BLOCK);
                }
                core.apply(new Input.ProposalReceived(from, p));
                maybeBehind(p);
                return false;
            }
            case ProposalScreen.Outcome.OtherEpoch o -> {
                LOG.debug("node {}: proposal of {} from {} goes to the core only: {}", peers.me, p.leaf().view(), from,
                        o.reason());
                core.apply(new Input.ProposalReceived(from, p));
                return false;
            }
            case ProposalScreen.Outcome.CheckBlock k -> {
                core.noteJustify(p.justifyQc());
                return true;
            }
        }
    }

    void onProposal(int from, NodeMessage.ProposalMsg msg) {
        Proposal p = msg.proposal();
        if (screened(from, p)) {
            int me = peers.me;
            check(from, p, () -> new KnownBlock.Full(blocks.check(msg.block(), p.leaf()), me));
        }
    }

    /** A proposal outside the DA committee: header, namespace table, own share and the transaction hashes. */
    void onShareProposal(int from, NodeMessage.ShareProposalMsg msg) {
        Proposal p = msg.proposal();
        if (screened(from, p)) {
            check(from, p, () -> blocks.checkHeaderOnly(msg, p.leaf()));
        }
    }

    /**
     * A screened proposal's block goes to the check workers; its verdict comes back through {@link #onChecked}. If
     * they are full the core sees the proposal without a block, as for a refused block: it cannot vote for it.
     */
    private void check(int from, Proposal p, BlockCheckWorkers.Check c) {
        BlockCheckWorkers.Refusal full = checks.submit(new BlockCheckWorkers.Subject.Proposed(from, p), c);
        if (full != null) {
            LOG.info("node {}: block of {} from {} not checked: {}", peers.me, p.leaf().view(), from, full);
            propose(from, p, null);
        }
    }

    /**
     * A block check finished (event thread). A proposal's block then goes to the pipeline and the proposal to the core,
     * as the synchronous check did; one whose view has passed by the screen's stale bound meanwhile is dropped.
     */
    void onChecked(BlockCheckWorkers.Done d) {
        StageMetrics.record(metrics.stages.blockCheckWait, d.submittedNanos());
        switch (d.subject()) {
            case BlockCheckWorkers.Subject.Proposed s -> {
                Proposal p = s.proposal();
                if (BlockCheckWorkers.outlived(s.view(), core.currentView())) {
                    LOG.debug("node {}: checked block of {} dropped: the node is in view {}", peers.me, s.view(), core.currentView());
                    return;
                }
                if (d.refusal() != null) {
                    refused(s.from(), p, d.refusal());
                }
                propose(s.from(), p, d.block());
            }
            case BlockCheckWorkers.Subject.Fetched f -> {
                if (d.block() instanceof KnownBlock.Full full) {
                    handle(new PipelineInput.Fetched(full));
                } else {
                    LOG.info("node {}: fetched block of {} refused: {}", peers.me, f.view(), d.refusal());
                }
            }
        }
    }

    /**
     * A proposal without a block: only a suffix leaf may be one (the core refuses a suffix leaf with content, and
     * never votes for a block-carrying leaf whose block it lacks). The same screen as any proposal, then the core.
     */
    void onSuffixProposal(int from, NodeMessage.SuffixProposalMsg msg) {
        Proposal p = msg.proposal();
        if (!p.leaf().blockCommitment().equals(Bytes32.ZERO)) {
            LOG.info("node {}: dropped a blockless proposal of {} from {} that commits to block {}", peers.me,
                    p.leaf().view(), from, p.leaf().blockCommitment());
            misbehaviour.count(Misbehaviour.Kind.PROPOSAL_WITHOUT_BLOCK);
            return;
        }
        if (screened(from, p)) {
            propose(from, p, null);
        }
    }

    private void propose(int from, Proposal p, KnownBlock block) {
        pollL1();
        List<PipelineEffect> effects = block == null ? List.of() : pipeline.handle(new PipelineInput.Proposed(p, block), clock.wallMs());
        // The core sees the proposal first, so a vote it casts follows the leader's order; DA work follows.
        core.apply(new Input.ProposalReceived(from, p));
        run(effects);
        maybeBehind(p);
    }

    private void maybeBehind(Proposal p) {
        if (p.leaf().height().value() > chain.nextHeight() + 2) {
            behind.run();
        }
    }

    private void refused(int from, Proposal p, String reason) {
        LOG.info("node {}: not voting for the block of {} from {}: {}", peers.me, p.leaf().view(), from, reason);
        metrics.blocksRejected.increment();
    }

    void onBlockReply(NodeMessage.BlockReply r) {
        Bytes32 commitment;
        try {
            commitment = BlockHeader.decode(r.block().header()).commitment(settings.chainId());
        } catch (IllegalArgumentException e) {
            return;
        }
        Leaf leaf = pipeline.wantedLeaf(commitment);
        if (leaf == null) {
            return;
        }
        // Refused when the workers are full: the pipeline asks again while it still wants the block.
        int me = peers.me;
        checks.submit(new BlockCheckWorkers.Subject.Fetched(leaf), () -> new KnownBlock.Full(blocks.check(r.block(), leaf), me));
    }

    void serveFetchBlock(int from, NodeMessage.FetchBlock f) {
        if (pipeline.block(f.blockCommitment()) instanceof KnownBlock.Full b) {
            peers.send(from, new NodeMessage.BlockReply(b.block().data()));
        }
    }

    private void run(List<PipelineEffect> effects) {
        for (PipelineEffect e : effects) {
            switch (e) {
                case PipelineEffect.Checked c -> checked(c);
                case PipelineEffect.FetchBlock f -> {
                    if (f.peer().isPresent()) {
                        peers.send(f.peer().getAsInt(), new NodeMessage.FetchBlock(f.blockCommitment()));
                    } else {
                        peers.broadcast(Topic.ALL, new NodeMessage.FetchBlock(f.blockCommitment()));
                    }
                }
                case PipelineEffect.BuildReady b -> build(b);
                case PipelineEffect.BuildDeferred d -> {
                    // Proposing without knowing what the ancestors carry could decide a transaction twice; the
                    // missing block was requested, so try again shortly while the view lasts.
                    LOG.info("node {}: not proposing in {} on {} yet: missing ancestor block {}", peers.me, d.view(),
                            d.parent().view(), d.missingAncestorBlock());
                    metrics.buildsDeferred.increment();
                    later.accept(new NodeEvent.BuildNow(d.view(), d.parent(), d.deadlineMs()), d.retryAfterMs());
                }
                case PipelineEffect.BuildRefused r -> LOG.info("node {}: not proposing in {}: {}", peers.me, r.view(), r.reason());
                case PipelineEffect.LatePayload l -> chain.latePayload(l.height(), l.block());
            }
        }
    }

    StageMetrics stages() {
        return metrics.stages;
    }

    /** When this view's proposal arrived (nanoTime), or 0 if none did recently. */
    long proposalArrivedNanos(long view) {
        return times.arrivedNanos(view);
    }

    private void checked(PipelineEffect.Checked c) {
        Proposal p = c.proposal();
        times.verdict(p.leaf().view().value(), c.verdict());
        dev.cortado.node.l1.MarketState l1 = l1State;
        if (c.verdict() instanceof BlockVerdict.Defer d && d.waitingFor() instanceof BlockVerdict.Waiting.L1Block && l1 != null) {
            // The leader followed a block this node has not: poll now rather than at the follower's interval.
            l1.pollSoon();
        }
        switch (c.verdict()) {
            case BlockVerdict.Accept a -> {
                switch (c.block()) {
                    case KnownBlock.Full f -> daGate.blockChecked(p, f.block());
                    case KnownBlock.HeaderOnly h -> {
                        String problem = daGate.shareChecked(p.leaf(), h.header(), h.ownShare()).orElse(null);
                        if (problem == null) {
                            daGate.sharesAccepted.increment();
                        } else {
                            refused(p.proposer(), p, problem);
                        }
                    }
                }
            }
            case BlockVerdict.Reject r -> refused(p.proposer(), p, r.reason());
            case BlockVerdict.Ignore i -> LOG.debug("node {}: {}", peers.me, i.reason());
            case BlockVerdict.Defer d -> LOG.debug("node {}: block of {} waits for {}", peers.me, p.leaf().view(),
                    d.waitingFor());
        }
    }

    /**
     * With nothing to include, the leader polls the mempool every few milliseconds until the deadline and
     * proposes as soon as something arrives (or an empty block at the deadline). Under the market rule the
     * block takes whole bundles first ({@link BundleSelection}), then loose transactions of open namespaces.
     */
    private void build(PipelineEffect.BuildReady b) {
        if (blocks.slots(b.parent().height().value() + 1).isEmpty()) {
            // The core leads only in an epoch whose table it holds, so this is not expected; never guess the holders.
            LOG.warn("node {}: not proposing in {}: the share holders of height {} are not known here", peers.me, b.view(),
                    b.parent().height().value() + 1);
            return;
        }
        LeaderSelection.Selected selected = LeaderSelection.select(b, enforced, bundlePool, mempool, chain, settings.maxBlockBytes(),
                maxTxs);
        BundleSelection.Chosen chosen = selected.bundles();
        List<PendingTx> txs = selected.loose();
        long nowMs = clock.monotonicMs();
        if (txs.isEmpty() && chosen.bundles() == 0 && nowMs < b.deadlineMs()) {
            later.accept(new NodeEvent.BuildNow(b.view(), b.parent(), b.deadlineMs()), BUILD_POLL_MS);
            return;
        }
        // The deadline is the build's start plus the empty-block delay, so the wait needs no extra state.
        long waitedMs = Math.max(0, nowMs - (b.deadlineMs() - settings.emptyBlockDelayMs()));
        (txs.isEmpty() && chosen.bundles() == 0 ? metrics.stages.buildWaitEmpty : metrics.stages.buildWaitTransactions)
                .record(waitedMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        List<PendingTx> all = new ArrayList<>(chosen.txs());
        all.addAll(txs);
        long buildStartNanos = System.nanoTime();
        Blocks.Block block = blocks.build(b.parent().height().value() + 1, b.view().value(), b.parent().blockCommitment(),
                b.timestampMs(), b.l1Head(), b.blockCommRoot(), all);
        StageMetrics.record(metrics.stages.blockBuild, buildStartNanos);
        if (chosen.bundles() > 0 && enforced.check(new KnownBlock.Full(block, peers.me),
                ((BlockMarketCheck.Judgement.Pass) b.parentMarket()).after()) instanceof BlockMarketCheck.Judgement.Fail f) {
            // Never propose what replicas reject: a selection bug must cost the bundles one block, not the view.
            LOG.warn("node {}: built block with {} bundles breaks the market rule ({}); proposing it without them",
                    peers.me, chosen.bundles(), f.verdict());
            block = blocks.build(b.parent().height().value() + 1, b.view().value(), b.parent().blockCommitment(),
                    b.timestampMs(), b.l1Head(), b.blockCommRoot(), txs);
        }
        pipeline.handle(new PipelineInput.Built(new KnownBlock.Full(block, peers.me)), clock.wallMs());
        // DataAvailable follows from the DA certificate (DaGate), as on every replica.
        core.enqueue(new Input.BlockBuilt(b.view(), block.commitment()));
    }

    void build(View view, Leaf parent, long deadlineMs) {
        pollL1();
        handle(new PipelineInput.Build(view, parent, deadlineMs));
    }
}
