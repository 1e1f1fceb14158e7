package dev.cortado.devnet.run;

import java.io.PrintStream;

/** The lines {@code cortado devnet} prints once everything has started: where each part is and what it runs. */
final class DevnetSummary {
    private DevnetSummary() {
    }

    static void print(Devnet d, PrintStream console) {
        console.println("L1 RPC URL      " + d.l1().rpcUrl() + " (chain id " + d.l1().chainId() + ")");
        console.println("LightClient     " + d.deployment().lightClient().address());
        console.println("StakeTable      " + d.deployment().stakeTable().address() + " (" + d.config().nodes() + " validators)");
        d.config().schedule().ifPresent(e -> console.println("epochs          " + e.epochBlocks() + " blocks, each table read at"
                + " the l1Head of the block " + e.snapshotLeadBlocks() + " before the boundary; node " + d.config().nodes()
                + (d.story().join() ? " joins after epoch 0" + (d.story().exit() ? ", then validator " + (d.config().nodes() - 1)
                        + " exits" : "") : " follows without stake (--no-join)")));
        console.println("Marketplace     " + d.deployment().marketplace().address());
        console.println("BatchInbox      " + d.deployment().batchInbox().address() + " (every namespace, cheapest carrier)");
        console.println("rollup inbox    " + d.rollupInbox().address() + " (namespace " + Devnet.OWN_POSTER_NAMESPACE
                + ", calldata, its own poster " + d.rollupPosterAddress() + ")");
        console.println("deployment      " + d.deploymentFile().toAbsolutePath());
        console.println("node APIs       " + String.join(" ", d.network().apiUrls().stream().map(Object::toString).toList()));
        console.println("demo rollups    namespaces " + DemoTraffic.NAMESPACES + ", " + d.config().demoTxPerSec() + " tx/s");
        console.println("slot clock      genesis " + d.slotClock().genesisTimeSec() + ", " + d.slotClock().secondsPerSlot() + " s per slot");
        if (d.demoMarket() != null) {
            StringBuilder names = new StringBuilder();
            for (DemoMarket.DemoRollup rollup : DemoMarket.ROLLUPS) {
                names.append(names.isEmpty() ? "" : ", ").append(rollup.name()).append(" (namespace ").append(rollup.namespace())
                        .append(", reserve ").append(StoryView.eth(rollup.reserveWei().toString())).append(")");
            }
            console.println("market rollups  " + names + ", all auctioned from window " + d.demoMarket().firstWindow());
            console.println("bidders         " + String.join(", ", DemoMarket.BIDDERS.subList(0, d.story().bidders()).stream()
                    .map(b -> b.name() + " wants " + String.join("+", b.bundle().stream().map(i -> DemoMarket.ROLLUPS.get(i).name())
                            .toList()) + " (~" + StoryView.eth(b.valuationWei().toString()) + ")").toList()));
            console.println("sequencers      " + d.demoSequencing().serviceUrls());
            console.println("silent winner   " + (d.story().silenceEveryWindows() == 0 ? "never"
                    : "every " + d.story().silenceEveryWindows() + " windows (--demo-silence)"));
        }
        console.println("current slot    " + d.currentSlot());
        if (d.dashboard() != null) console.println("dashboard       " + d.dashboard().url());
    }
}
