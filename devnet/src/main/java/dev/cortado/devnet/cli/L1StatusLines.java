package dev.cortado.devnet.cli;

import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.settlement.batch.InboxL1;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.L1Head;
import dev.cortado.settlement.port.LightClientL1;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.MarketplaceL1;
import dev.cortado.settlement.port.WindowState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The L1 side of {@code cortado status}, read from an RPC URL and a deployment file alone (no devnet needed): the
 * L1 head and the slot clock, the current window's result as the marketplace holds it, LightClient.sol's certified
 * HotShot state and BatchInbox's last batch. Every figure is read at one L1 block, the head, so the lines agree.
 */
final class L1StatusLines {
    /** How far back the last batch is looked for, so a long-lived chain does not make one status a full log scan. */
    static final long BATCH_LOOKBACK_BLOCKS = 10_000;

    private L1StatusLines() {
    }

    static List<String> read(Deployment d) {
        L1Connector connector = L1Connector.load();
        List<String> lines = new ArrayList<>();
        long headNumber;
        try (L1Client l1 = connector.connect(d.rpcUrl(), d.chainId());
                MarketplaceL1 market = connector.marketplace(d.rpcUrl(), d.marketplace().address(), d.stakeTable().address());
                LightClientL1 lc = connector.lightClient(d.rpcUrl(), d.lightClient().address());
                InboxL1 inbox = new InboxL1(d.rpcUrl(), d.batchInbox().address(), 3)) {
            L1Head head = l1.latestHead();
            headNumber = head.number();
            MarketClock clock = market.clock();
            long slot = clock.slots().slotAt(head.timestampSec());
            long window = clock.windowAt(head.timestampSec());
            lines.add("L1 chain " + d.chainId() + " block " + head.number() + " (" + d.rpcUrl() + "): slot " + slot + ", window "
                    + window + " of " + clock.slotsPerWindow() + " slots");
            lines.add(windowLine(market.windowAt(head.number(), window)));
            Optional<LightClientL1.Finalized> f = lc.finalizedStateAt(head.number());
            lines.add(f.map(s -> "light client " + d.lightClient().address() + ": HotShot height " + s.height() + ", view " + s.view()
                    + " certified at L1 block " + head.number())
                    .orElse("light client: no contract at " + d.lightClient().address() + " by block " + head.number()));
            lines.add("batches: " + batchLine(inbox, d.batchInbox(), head.number()));
        }
        // A rollup that posts its own namespace has its own inbox, with its own height stream.
        for (Deployment.RollupInbox r : d.rollupInboxes()) {
            try (InboxL1 inbox = new InboxL1(d.rpcUrl(), r.inbox().address(), 3)) {
                lines.add("batches of namespace " + r.namespace() + " (" + r.inbox().address() + "): "
                        + batchLine(inbox, r.inbox(), headNumber));
            }
        }
        return lines;
    }

    static String windowLine(WindowState w) {
        if (w.rollups().isEmpty()) return "window " + w.window() + ": no registered rollups";
        List<String> holders = new ArrayList<>();
        for (WindowState.Rollup r : w.rollups()) {
            var winner = w.winners().get(r.namespace());
            holders.add(r.namespace() + " " + (winner != null ? "sold to " + winner.toHex()
                    : w.resultFinal() ? "unsold (default " + r.defaultSequencer().toHex() + ")" : "pending"));
        }
        return "window " + w.window() + (w.resultFinal() ? " (final)" : " (result not final yet)") + ": " + String.join(", ", holders);
    }

    private static String batchLine(InboxL1 inbox, Deployment.DeployedContract contract, long head) {
        long from = Math.max(contract.deploymentBlock(), head - BATCH_LOOKBACK_BLOCKS);
        List<InboxL1.PostedBatch> posted = inbox.postedBatches(from);
        String next = "next height " + inbox.nextHeight();
        if (posted.isEmpty()) return "none posted since L1 block " + from + "; " + next;
        InboxL1.PostedBatch last = posted.getLast();
        return "last #" + last.batchIndex() + " heights " + last.firstHeight() + "-" + last.lastHeight() + " as "
                + (last.blobCount() > 0 ? last.blobCount() + " blob(s)" : "calldata") + " at L1 block " + last.l1Block() + "; "
                + posted.size() + " since L1 block " + from + "; " + next;
    }
}
