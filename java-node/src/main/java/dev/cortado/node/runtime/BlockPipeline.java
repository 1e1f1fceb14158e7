package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The block layer around the consensus core, as a second pure state machine: {@code handle(input, nowMs)}
 * returns effects and never does I/O, reads a clock, starts threads or draws randomness. {@code nowMs} is the
 * node's wall clock (the clock port), used for header timestamps and for pacing re-requests. It owns the blocks
 * known until decided, the blocks wanted from peers, proposals waiting for an ancestor, the exactly-once rule
 * and the header rules (parent linkage, timestamp drift, blockCommRoot, l1Head). The chain it reads is a port.
 *
 * <p>l1Head: a header's l1Head may not be behind its parent's, nor more than the allowed lead beyond the highest L1
 * block this node's follower has seen ({@link PipelineInput.L1Seen}); between the two the proposal is deferred, not
 * rejected, because an honest leader's follower may simply be a poll ahead of ours.
 *
 * <p>Hostile input: every map is bounded and keyed by a header commitment that a view's leader signed (the
 * proposal screen runs first) or by a leaf the core accepted; a proposal is never re-checked with a later clock
 * than the one it arrived at, so a slow ancestor fetch cannot turn a valid block into a stale one.
 */
final class BlockPipeline {
    static final int MAX_WANTED = 256;
    static final long REFETCH_MS = 200;
    static final int MAX_DEFERRED = 8;
    static final long BUILD_RETRY_MS = 20;
    /** The lead allowed until the driver says otherwise ({@code [l1] max_l1_lead_blocks}). */
    static final long DEFAULT_MAX_L1_LEAD_BLOCKS = 16;

    private record Deferred(Proposal proposal, KnownBlock block, long arrivedAtMs) {
    }

    /** The undecided ancestors of a parent, ascending, or why the parent's chain is unusable. */
    private sealed interface Ancestry {
        record Chain(List<Leaf> leaves) implements Ancestry {
        }

        record Broken(String reason) implements Ancestry {
        }
    }

    private final ChainView chain;
    private final long maxClockDriftMs;
    private final int maxTxsPerBlock;
    private final PendingBlocks pending = new PendingBlocks();
    private final Map<Bytes32, Leaf> wanted = new LinkedHashMap<>();
    private final Map<Bytes32, Long> wantedAskedAtMs = new HashMap<>();
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
    private long currentView;
    /** Highest L1 block this node's follower has seen; 0 until told (a node without a follower stays at 0). */
    private long l1SeenBlock;
    /** Which followed block this node stamps as leader (each adopted a poll interval after it was followed). */
    private final L1Adoption l1Adoption = new L1Adoption();
    private long maxL1LeadBlocks = DEFAULT_MAX_L1_LEAD_BLOCKS;
    /** The market rule and its fold along the undecided chain; enforces nothing until {@link #enforceMarket}. */
    private final UndecidedActivity market;
    /** The per-view DA state ({@link DaGate} drives it); pruned here as views pass. Null until attached. */
    private DaLedger da;

    /**
     * @param maxClockDriftMs a proposal's header timestamp may differ from this node's clock by at most this, either way
     * @param maxTxsPerBlock more transactions than this and the hashes would not fit a share proposal's frame
     */
    BlockPipeline(ChainView chain, long maxClockDriftMs, int maxTxsPerBlock) {
        this.chain = chain;
        this.maxClockDriftMs = maxClockDriftMs;
        this.maxTxsPerBlock = maxTxsPerBlock;
        this.market = new UndecidedActivity(chain, pending);
    }

    List<PipelineEffect> handle(PipelineInput input, long nowMs) {
        List<PipelineEffect> out = new ArrayList<>();
        switch (input) {
            case PipelineInput.Proposed p -> onProposed(p.proposal(), p.block(), nowMs, out);
            case PipelineInput.Fetched f -> onFetched(f.block(), out);
            case PipelineInput.Build b -> onBuild(b, nowMs, out);
            case PipelineInput.Built b -> pending.put(b.block());
            case PipelineInput.Want w -> {
                remember(w.leaf());
                wantedAskedAtMs.put(w.leaf().blockCommitment(), nowMs);
                out.add(new PipelineEffect.FetchBlock(w.leaf().blockCommitment(), OptionalInt.of(w.peer())));
            }
            case PipelineInput.ViewIs v -> {
                if (v.view() > currentView) {
                    currentView = v.view();
                    pending.viewIs(currentView);
                    // A proposal still waiting when its view ends can no longer be voted for.
                    while (!deferred.isEmpty() && deferred.peek().proposal().leaf().view().value() < currentView) {
                        Deferred d = deferred.poll();
                        out.add(new PipelineEffect.Checked(d.proposal(), d.block(), new BlockVerdict.Ignore(
                                "view " + d.proposal().leaf().view().value() + " ended while waiting for an ancestor block")));
                    }
                    deferred.removeIf(d -> d.proposal().leaf().view().value() < currentView);
                    if (da != null) {
                        da.viewIs(currentView);
                    }
                }
            }
            case PipelineInput.Decided d -> pending.decided(d.height());
            case PipelineInput.L1Seen s -> onL1Seen(s, nowMs, out);
        }
        return out;
    }

    /** The block this node holds with this commitment, full or header-only. */
    KnownBlock block(Bytes32 commitment) {
        return pending.get(commitment);
    }

    /** Whether this node holds the payload of this block. */
    boolean hasFullBlock(Bytes32 commitment) {
        return pending.full(commitment).isPresent();
    }

    /** The leaf a fetched block must match, if this node asked for it; anything else is unsolicited. */
    Leaf wantedLeaf(Bytes32 blockCommitment) {
        return wanted.get(blockCommitment);
    }

    int pendingCount() {
        return pending.size();
    }

    int wantedCount() {
        return wanted.size();
    }

    int deferredCount() {
        return deferred.size();
    }

    private void onProposed(Proposal proposal, KnownBlock block, long nowMs, List<PipelineEffect> out) {
        // Known even if not voted for: its transactions count as in flight if the next leader builds on it.
        pending.put(block);
        BlockVerdict v = verdict(proposal.leaf(), block, nowMs, out);
        if (v instanceof BlockVerdict.Defer) {
            deferred.add(new Deferred(proposal, block, nowMs));
            if (deferred.size() > MAX_DEFERRED) {
                deferred.poll();
            }
        }
        out.add(new PipelineEffect.Checked(proposal, block, v));
    }

    private void onFetched(KnownBlock.Full block, List<PipelineEffect> out) {
        Bytes32 c = block.commitment();
        Leaf leaf = wanted.remove(c);
        wantedAskedAtMs.remove(c);
        if (leaf == null) {
            return;
        }
        if (leaf.height().value() < chain.decidedCount()) {
            out.add(new PipelineEffect.LatePayload(leaf.height().value(), block));
            return;
        }
        pending.put(block);
        recheckDeferred(out);
    }

    private void onL1Seen(PipelineInput.L1Seen s, long nowMs, List<PipelineEffect> out) {
        maxL1LeadBlocks = s.maxL1LeadBlocks();
        // The follower never goes back (it refuses deep reorgs), so a lower report is stale and ignored.
        if (s.followedL1Block() > l1SeenBlock) {
            l1SeenBlock = s.followedL1Block();
            l1Adoption.followed(l1SeenBlock, nowMs, s.adoptAfterMs());
            recheckDeferred(out);
        }
    }

    /** The DA state this pipeline keeps in step with its views (one ledger per node, created by the gate). */
    void attachDa(DaLedger ledger) {
        this.da = ledger;
        ledger.viewIs(currentView);
    }

    DaLedger da() {
        return da;
    }

    /** From now on every proposed block must also keep the marketplace's rule. */
    void enforceMarket(BlockMarketCheck check) {
        market.enforce(check);
    }

    long l1SeenBlock() {
        return l1SeenBlock;
    }

    private void recheckDeferred(List<PipelineEffect> out) {
        int n = deferred.size();
        for (int i = 0; i < n; i++) {
            Deferred d = deferred.poll();
            // Re-checked at the clock it arrived at: the wait was ours, not the leader's.
            BlockVerdict v = verdict(d.proposal().leaf(), d.block(), d.arrivedAtMs(), out);
            if (v instanceof BlockVerdict.Defer) {
                deferred.add(d);
            } else {
                out.add(new PipelineEffect.Checked(d.proposal(), d.block(), v));
            }
        }
    }

    private void onBuild(PipelineInput.Build b, long nowMs, List<PipelineEffect> out) {
        if (b.view().value() < currentView) {
            return;
        }
        switch (ancestry(b.parent())) {
            case Ancestry.Broken broken -> out.add(new PipelineEffect.BuildRefused(b.view(), broken.reason()));
            case Ancestry.Chain ch -> {
                Bytes32 missing = firstMissing(ch.leaves(), nowMs, out);
                if (missing != null) {
                    out.add(new PipelineEffect.BuildDeferred(b.view(), b.parent(), b.deadlineMs(), missing, BUILD_RETRY_MS));
                    return;
                }
                long ts = Math.max(nowMs, parentTimestampMs(b.parent()));
                long l1Head = Math.max(l1Adoption.adopted(nowMs), parentL1Head(b.parent()));
                BlockMarketCheck.Judgement parentMarket = market.enforced() ? market.at(ch.leaves())
                        : new BlockMarketCheck.Judgement.Pass(null);
                out.add(new PipelineEffect.BuildReady(b.view(), b.parent(), b.deadlineMs(), inFlight(ch.leaves()), ts,
                        l1Head, chain.blockCommRoot(commitments(ch.leaves())), parentMarket));
            }
        }
    }

    /**
     * Parent linkage, blockCommRoot, ancestors' transactions known, timestamp drift, l1Head bounds, exactly-once,
     * and last the wait for an l1Head this node has not yet seen (so a block that is wrong anyway is rejected now).
     */
    private BlockVerdict verdict(Leaf leaf, KnownBlock block, long nowMs, List<PipelineEffect> out) {
        BlockHeader header = block.header();
        if (block.txHashes().size() > maxTxsPerBlock) {
            return new BlockVerdict.Reject(block.txHashes().size() + " transactions exceed the limit of " + maxTxsPerBlock);
        }
        Leaf parent = chain.knownLeaf(leaf.parentCommitment());
        if (parent == null) {
            return new BlockVerdict.Reject("parent leaf " + leaf.parentCommitment() + " unknown");
        }
        if (!header.parent().equals(parent.blockCommitment())) {
            return new BlockVerdict.Reject("header parent " + header.parent() + " is not the parent's block " + parent.blockCommitment());
        }
        List<Leaf> ancestors;
        switch (ancestry(parent)) {
            case Ancestry.Broken broken -> {
                return new BlockVerdict.Reject(broken.reason());
            }
            case Ancestry.Chain ch -> ancestors = ch.leaves();
        }
        Bytes32 expected = chain.blockCommRoot(commitments(ancestors));
        if (!header.blockCommRoot().equals(expected)) {
            return new BlockVerdict.Reject("blockCommRoot " + header.blockCommRoot() + ", expected " + expected);
        }
        Bytes32 missing = firstMissing(ancestors, nowMs, out);
        if (missing != null) {
            return BlockVerdict.Defer.ancestor(missing);
        }
        long parentTs = parentTimestampMs(parent);
        long ts = header.timestampMs();
        if (ts < parentTs) {
            return new BlockVerdict.Reject("timestamp " + ts + " is before the parent's " + parentTs);
        }
        if (ts > nowMs + maxClockDriftMs || ts < nowMs - maxClockDriftMs) {
            return new BlockVerdict.Reject("timestamp " + ts + " is more than " + maxClockDriftMs + " ms from this node's clock " + nowMs);
        }
        long parentL1 = parentL1Head(parent);
        long l1Head = header.l1Head();
        if (l1Head < parentL1) {
            return new BlockVerdict.Reject("l1Head " + l1Head + " is behind the parent's " + parentL1);
        }
        if (l1Head - maxL1LeadBlocks > l1SeenBlock) {
            return new BlockVerdict.Reject("l1Head " + l1Head + " is more than " + maxL1LeadBlocks
                    + " blocks beyond this node's followed L1 block " + l1SeenBlock);
        }
        Set<Bytes32> inFlight = inFlight(ancestors);
        Set<Bytes32> inBlock = new HashSet<>();
        for (Bytes32 h : block.txHashes()) {
            if (!inBlock.add(h) || inFlight.contains(h) || chain.isDecided(h)) {
                return new BlockVerdict.Reject("transaction " + h + " is repeated, in flight or already decided");
            }
        }
        if (l1Head > l1SeenBlock) {
            return BlockVerdict.Defer.l1(l1Head, l1SeenBlock);
        }
        return market.enforced() ? market.verdict(block, ancestors) : new BlockVerdict.Accept();
    }

    /** Walks from {@code parent} down to the decided tip; the leaves above it, ascending. */
    private Ancestry ancestry(Leaf parent) {
        List<Leaf> out = new ArrayList<>();
        long decided = chain.decidedCount();
        Leaf l = parent;
        while (l.height().value() >= decided) {
            out.add(l);
            l = chain.knownLeaf(l.parentCommitment());
            if (l == null) {
                return new Ancestry.Broken("an undecided ancestor is unknown");
            }
        }
        if (l.height().value() != decided - 1 || !l.blockCommitment().equals(chain.decidedTip())) {
            return new Ancestry.Broken("block does not extend the decided chain at height " + (decided - 1));
        }
        Collections.reverse(out);
        return new Ancestry.Chain(out);
    }

    /** The first ancestor whose block (or header with hashes) is unknown, requested from everyone; null if none. */
    private Bytes32 firstMissing(List<Leaf> ancestors, long nowMs, List<PipelineEffect> out) {
        Bytes32 first = null;
        for (Leaf leaf : ancestors) {
            Bytes32 c = leaf.blockCommitment();
            if (pending.get(c) != null) {
                continue;
            }
            remember(leaf);
            Long asked = wantedAskedAtMs.get(c);
            if (asked == null || nowMs - asked >= REFETCH_MS) {
                wantedAskedAtMs.put(c, nowMs);
                out.add(new PipelineEffect.FetchBlock(c, OptionalInt.empty()));
            }
            if (first == null) {
                first = c;
            }
        }
        return first;
    }

    private void remember(Leaf leaf) {
        Bytes32 c = leaf.blockCommitment();
        wanted.put(c, leaf);
        if (wanted.size() > MAX_WANTED) {
            Bytes32 eldest = wanted.keySet().iterator().next();
            wanted.remove(eldest);
            wantedAskedAtMs.remove(eldest);
        }
    }

    private Set<Bytes32> inFlight(List<Leaf> ancestors) {
        Set<Bytes32> out = new HashSet<>();
        for (Leaf leaf : ancestors) {
            out.addAll(pending.get(leaf.blockCommitment()).txHashes());
        }
        return out;
    }

    private long parentTimestampMs(Leaf parent) {
        KnownBlock b = pending.get(parent.blockCommitment());
        if (b != null) {
            return b.header().timestampMs();
        }
        long h = parent.height().value();
        return h == 0 ? 0 : chain.decidedTimestampMs(h);
    }

    private long parentL1Head(Leaf parent) {
        KnownBlock b = pending.get(parent.blockCommitment());
        if (b != null) {
            return b.header().l1Head();
        }
        long h = parent.height().value();
        return h == 0 ? 0 : chain.decidedL1Head(h);
    }

    private static List<Bytes32> commitments(List<Leaf> leaves) {
        return leaves.stream().map(Leaf::blockCommitment).toList();
    }
}
