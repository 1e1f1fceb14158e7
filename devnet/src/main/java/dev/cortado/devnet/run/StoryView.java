package dev.cortado.devnet.run;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.PostCost;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Puts the running devnet's parts together into one {@link StorySnapshot} (for the dashboard) and one status line
 * per slot (for the terminal). Reads only what the parts already hold, plus the decided headers of posted batches
 * (for their payload bytes), so building a snapshot costs no L1 call.
 */
public final class StoryView {
    private static final int BATCHES_KEPT = 12;

    private final Devnet devnet;
    private final Deque<StorySnapshot.BatchRow> batches = new ArrayDeque<>();

    StoryView(Devnet devnet) {
        this.devnet = devnet;
    }

    /** Records a batch a poster just got into its BatchInbox; {@code scope} names the poster ("all" or a namespace). */
    synchronized void batchPosted(BatchPoster.Outcome.Posted p, String scope) {
        long payloadBytes = 0;
        var node = devnet.network().nodes().getFirst();
        for (long h = p.firstHeight(); h <= p.lastHeight(); h++) {
            var d = node.store().decided(h);
            if (d.isPresent()) payloadBytes += BlockHeader.decode(d.get().header()).payloadBytes();
        }
        boolean blobs = p.price() != null && p.price().mode() == PostCost.Mode.BLOBS;
        BigInteger cost = p.price() == null ? BigInteger.valueOf(p.gasUsed()).multiply(p.maxFeePerGasWei())
                : blobs ? p.price().blobWei() : p.price().calldataWei();
        double ratio = p.frameBytes() == 0 ? 0 : Math.round(payloadBytes * 100.0 / p.frameBytes()) / 100.0;
        batches.addFirst(new StorySnapshot.BatchRow(scope, p.firstHeight(), p.lastHeight(), p.frameBytes(), payloadBytes, ratio,
                blobs ? "blob" : "calldata", p.gasUsed(), cost.toString(),
                p.frameBytes() == 0 ? "0" : cost.divide(BigInteger.valueOf(p.frameBytes())).toString(), p.l1Block(), p.txHash()));
        while (batches.size() > BATCHES_KEPT) batches.removeLast();
    }

    private synchronized List<StorySnapshot.BatchRow> batches() {
        return List.copyOf(batches);
    }

    public StorySnapshot snapshot() {
        long nowMs = System.currentTimeMillis();
        StoryConfig story = devnet.story();
        var clock = devnet.slotClock();
        long slot = clock.slotAt(nowMs / 1000);
        DemoMarket market = devnet.demoMarket();
        AuctionSchedule s = market != null ? market.schedule() : null;
        long l1Block = devnet.l1().blockNumber();
        StorySnapshot.Clock c = new StorySnapshot.Clock(clock.genesisTimeSec(), clock.secondsPerSlot(), slot,
                s == null ? -1 : s.windowOf(slot), s == null ? 0 : s.slotsPerWindow(), s == null ? 0 : s.commitSlots(),
                s == null ? 0 : s.revealSlots(), s == null ? 0 : s.resolutionSlots(), s == null ? 0 : s.finalitySlots(),
                l1Block);
        NodeWatch watch = devnet.nodeWatch();
        ValidatorMoves moves = devnet.moves();
        StorySnapshot.HotShot hotShot = new StorySnapshot.HotShot(devnet.network().height(), watch.view(), watch.leader(),
                Math.round(watch.decidesPerSec(10) * 100) / 100.0, watch.history(), moves == null ? -1 : moves.currentEpoch(),
                moves == null ? -1 : moves.currentTableSize(), moves == null ? List.of() : moves.events());
        long lcBlock = devnet.lightClientUpdateL1Block();
        StorySnapshot.LightClient lc = new StorySnapshot.LightClient(devnet.lightClientHeightOnL1(), lcBlock,
                lcBlock < 0 ? -1 : Math.max(0, l1Block - lcBlock), story.escapeHatchBlocks());
        TxTracker t = devnet.tracker();
        DemoSequencing seq = devnet.demoSequencing();
        StorySnapshot.Transactions txs = new StorySnapshot.Transactions(t.recent(), t.preconfP50Ms(), t.preconfirmedCount(),
                devnet.traffic().accepted(), seq == null ? 0 : seq.sent(), seq == null ? 0 : seq.unanswered(),
                seq == null ? 0 : seq.refused(), seq == null ? "" : seq.lastRefusal());
        return new StorySnapshot(nowMs,
                c,
                new StorySnapshot.Parts(market != null, seq != null && story.swapsPerSec() > 0, story.silenceEveryWindows() > 0,
                        story.silenceEveryWindows(), story.batchPoster(), story.lightClientPoster()),
                hotShot, lc, batches(), market == null ? List.of() : market.windows(), txs, watch.health(),
                named(watch.rights(), market), seq == null ? Map.of() : seq.bundlesSent(), problems());
    }

    /** The parts' last problems, one line each (the posters' only once the network has decided a few blocks). */
    private String problems() {
        StringBuilder p = new StringBuilder();
        long height = devnet.network().height();
        for (DevnetBatches b : devnet.batchPosters()) {
            if (b != null && !b.lastProblem().isEmpty() && height > 2) {
                p.append("batch poster (").append(b.scopeName()).append("): ")
                        .append(b.lastProblem().lines().findFirst().orElse("")).append('\n');
            }
        }
        if (!devnet.lastPosterProblem().isEmpty() && height > 2) {
            p.append("light-client poster: ").append(devnet.lastPosterProblem().lines().findFirst().orElse("")).append('\n');
        }
        DemoMarket market = devnet.demoMarket();
        if (market != null && !market.lastProblem().isEmpty()) p.append("market: ").append(market.lastProblem()).append('\n');
        ValidatorMoves moves = devnet.moves();
        if (moves != null && !moves.problem().isEmpty()) p.append("validator moves: ").append(moves.problem()).append('\n');
        return p.toString();
    }

    /** The nodes' rights with each holder's demo name where the story knows it. */
    private static StorySnapshot.NetworkRights named(StorySnapshot.NetworkRights r, DemoMarket market) {
        if (r == null || market == null) return r;
        return new StorySnapshot.NetworkRights(r.height(), r.window(), r.slot(), r.namespaces().stream()
                .map(n -> new StorySnapshot.NamespaceRight(n.namespace(), market.nameOf(n.holderAddress()), n.holderAddress(),
                        n.reason())).toList());
    }

    /** The terminal's line for one slot. */
    public static String line(StorySnapshot s) {
        StringBuilder line = new StringBuilder();
        line.append("slot ").append(s.clock().slot());
        if (s.parts().market()) {
            line.append(" | window ").append(s.clock().window()).append(' ').append(phase(s));
            DemoMarket.WindowRow current = s.windows().stream().filter(w -> w.window() == s.clock().window()).findFirst().orElse(null);
            line.append(" | ");
            if (current == null || current.holders().isEmpty()) {
                line.append("holders: reading L1");
            } else {
                List<String> parts = new ArrayList<>();
                for (DemoMarket.HolderRow h : current.holders()) {
                    StorySnapshot.NamespaceRight enforced = s.rights() == null ? null : s.rights().in(current.window(), h.namespace());
                    if (enforced != null && enforced.fallback()) {
                        // The nodes' silence rule fired: the rollup's default sequencer holds it for the rest of the window.
                        parts.add(h.rollup() + " fallback (" + h.holder() + " silent)");
                        continue;
                    }
                    parts.add(h.rollup() + " " + (DemoMarket.isBidder(h.holder()) ? h.holder() : "default")
                            + (current.silent() && DemoMarket.isBidder(h.holder()) ? " (silent)" : ""));
                }
                line.append(String.join(", ", parts));
            }
            line.append(" | preconf p50 ").append(s.transactions().preconfP50Ms() < 0 ? "-" : s.transactions().preconfP50Ms() + " ms");
        }
        line.append(" | HotShot ").append(s.hotShot().height());
        if (s.hotShot().epoch() >= 0) {
            line.append(" | epoch ").append(s.hotShot().epoch()).append(" (").append(s.hotShot().validators()).append(" validators)");
        }
        line.append(" | LC on L1 ").append(s.lightClient().heightOnL1() < 0 ? "none yet" : s.lightClient().heightOnL1());
        if (!s.parts().lightClient()) line.append(" (poster off)");
        line.append(" | last batch ");
        if (s.batches().isEmpty()) {
            line.append(s.parts().batches() ? "none yet" : "off");
        } else {
            // The newest batch of each poster (the network's and the rollup's own), newest poster first.
            List<String> seen = new ArrayList<>();
            for (StorySnapshot.BatchRow b : s.batches()) {
                if (seen.contains(b.scope())) continue;
                line.append(seen.isEmpty() ? "" : "; ").append(b.scope()).append(' ').append(b.firstHeight()).append('-')
                        .append(b.lastHeight()).append(", ").append(b.frameBytes()).append(" B, ")
                        .append(String.format(Locale.ROOT, "%.2fx", b.ratio())).append(", ").append(b.carrier());
                seen.add(b.scope());
            }
        }
        return line.toString();
    }

    /**
     * The latest auction to have opened and its phase, e.g. "(auction of 5: reveal)"; "final" once its result is
     * final, in the slots before that window opens.
     */
    private static String phase(StorySnapshot s) {
        long slot = s.clock().slot();
        AuctionSchedule sch = new AuctionSchedule(s.clock().slotsPerWindow(), s.clock().commitSlots(), s.clock().revealSlots(),
                s.clock().resolutionSlots(), s.clock().finalitySlots());
        long running = sch.runningAuction(slot);
        if (running < 0) return "(no auction open yet)";
        return "(auction of " + running + ": " + sch.phaseOf(running, slot).name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
    }

    /** Wei as ETH with up to 6 decimals, e.g. "0.004 ETH". */
    public static String eth(String wei) {
        if (wei == null || wei.isEmpty()) return "";
        BigDecimal e = new BigDecimal(new BigInteger(wei)).movePointLeft(18).setScale(6, RoundingMode.DOWN).stripTrailingZeros();
        return e.toPlainString() + " ETH";
    }
}
