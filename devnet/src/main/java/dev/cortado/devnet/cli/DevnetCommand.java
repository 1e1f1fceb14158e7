package dev.cortado.devnet.cli;

import dev.cortado.devnet.l1.L1Kind;
import dev.cortado.devnet.run.Devnet;
import dev.cortado.devnet.run.DevnetConfig;
import dev.cortado.devnet.run.StoryConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The main job: a whole local network on embedded defaults. */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = "Run a local devnet: L1, contracts, nodes, demo traffic, the sequencing market (rollups, bidders, "
                + "resolver, winners' sequencers), both posters and a live dashboard, until Ctrl-C or --duration.")
public final class DevnetCommand implements Callable<Integer> {

    @Option(names = "--l1", defaultValue = "anvil", description = "L1 node: anvil (default) or besu (needs a besu binary)")
    String l1;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "stop after this long (e.g. 20s, 5m); default: run until Ctrl-C")
    Duration duration;

    @Option(names = "--seconds-per-slot", defaultValue = "2", description = "devnet slot length in seconds (default 2)")
    int secondsPerSlot;

    @Option(names = "--out", defaultValue = ".devnet", description = "folder for deployment.json and node data (default .devnet)")
    Path out;

    @Option(names = "--nodes", defaultValue = "4", description = "number of validator nodes (default 4, at most 9)")
    int nodes;

    @Option(names = "--da-committee", defaultValue = "3", description = "how many nodes form the DA committee (default 3)")
    int daCommittee;

    @Option(names = "--demo-tps", defaultValue = "20", description = "demo rollup transactions per second (default 20)")
    int demoTxPerSec;

    @Option(names = "--no-market", description = "no demo rollups, bidders, resolver or sequencers (open-namespace traffic only)")
    boolean noMarket;

    @Option(names = "--demo-bidders", defaultValue = "3", description = "demo bidders per window, 2 or 3 (default 3)")
    int demoBidders;

    @Option(names = "--demo-silence", defaultValue = "3", paramLabel = "N",
            description = "every N windows the winner falls silent on purpose; 0 never (default 3)")
    int demoSilence;

    @Option(names = "--demo-swaps", defaultValue = "2", description = "demo users' swaps and transfers per second sent to "
            + "the rollups' sequencers; 0 none (default 2)")
    int demoSwaps;

    @Option(names = "--no-dashboard", description = "do not serve the live dashboard")
    boolean noDashboard;

    @Option(names = "--dashboard-port", defaultValue = "0", description = "the dashboard's port on 127.0.0.1 (default: a free one)")
    int dashboardPort;

    @Option(names = "--escape-hatch-blocks", defaultValue = "20",
            description = "light-client lag, in L1 blocks, at which rollups would use their escape hatch (shown; default 20)")
    long escapeHatchBlocks;

    @Option(names = "--no-light-client", description = "do not post light-client states to L1 (needs --no-batches)")
    boolean noLightClient;

    @Option(names = "--no-batches", description = "do not post batches to BatchInbox")
    boolean noBatches;

    @Option(names = "--batch-max-age", converter = DurationConverter.class, defaultValue = "60s",
            description = "a batch closes at this age unless it filled a blob first (default 60s, about the time the demo"
                    + " load takes to fill one blob; shorter posts sooner into emptier blobs)")
    Duration batchMaxAge;

    @Option(names = "--epoch-blocks", defaultValue = "" + DevnetConfig.DEFAULT_EPOCH_BLOCKS, paramLabel = "N",
            description = "blocks per stake-table epoch, each table read from StakeTable.sol, with one more node that"
                    + " joins during the run; 0 runs the genesis table all run and no joiner (default "
                    + DevnetConfig.DEFAULT_EPOCH_BLOCKS + ", about 15 s)")
    long epochBlocks;

    @Option(names = "--no-join", description = "the extra node follows the chain but never registers (implies --no-exit)")
    boolean noJoin;

    @Option(names = "--no-exit", description = "no genesis validator leaves the table after the joiner signs")
    boolean noExit;

    @Override
    public Integer call() throws Exception {
        DevnetConfig config = config();
        StoryConfig story = story();
        PrintStream console = System.out;
        try (Devnet devnet = Devnet.start(config, story, console)) {
            devnet.runUntil(duration);
        }
        console.println("devnet stopped");
        return 0;
    }

    /** The network the options ask for; a bad value is an IllegalArgumentException naming its option. */
    DevnetConfig config() {
        DevnetConfig defaults = DevnetConfig.defaults(L1Kind.parse(l1), secondsPerSlot, out);
        return new DevnetConfig(defaults.l1(), secondsPerSlot, out, nodes, daCommittee, defaults.hotShotChainId(),
                demoTxPerSec, batchMaxAge.toMillis(), epochBlocks);
    }

    /** The story the options ask for: without epochs there is no joiner, and one genesis validator cannot leave. */
    StoryConfig story() {
        boolean join = epochBlocks != 0 && !noJoin;
        return new StoryConfig(!noMarket, demoBidders, demoSilence, demoSwaps, !noDashboard, dashboardPort,
                escapeHatchBlocks, !noLightClient, !noBatches, join, join && !noExit && nodes >= 2);
    }
}
