package dev.cortado.devnet.run;

/**
 * Which parts of the marketplace story {@code cortado devnet} plays on top of the network, and how.
 *
 * @param market register the demo rollups and run bidders, the resolver and the winners' sequencers
 * @param bidders how many demo bidders bid each window (2 or 3)
 * @param silenceEveryWindows every this many windows the winner falls silent on purpose (0: never)
 * @param swapsPerSec demo users' cross-rollup swaps per second, sent to whoever holds the rollups
 * @param dashboard serve the live dashboard on 127.0.0.1
 * @param dashboardPort its port (0: a free one)
 * @param escapeHatchBlocks the light client's lag, in L1 blocks, at which rollups would use their escape hatch
 * @param lightClientPoster post certified light-client states to L1 every slot
 * @param batchPoster post batches to BatchInbox every slot (needs the light-client poster: batches prove against it)
 * @param join once the first epoch is decided, register the joiner on StakeTable.sol (needs epochs)
 * @param exit once the joiner signs, one genesis validator asks to leave the table (needs the join)
 */
public record StoryConfig(boolean market, int bidders, int silenceEveryWindows, int swapsPerSec, boolean dashboard,
        int dashboardPort, long escapeHatchBlocks, boolean lightClientPoster, boolean batchPoster, boolean join,
        boolean exit) {
    /** The parts without the validators' join and exit: the table stays the genesis one all run. */
    public StoryConfig(boolean market, int bidders, int silenceEveryWindows, int swapsPerSec, boolean dashboard,
            int dashboardPort, long escapeHatchBlocks, boolean lightClientPoster, boolean batchPoster) {
        this(market, bidders, silenceEveryWindows, swapsPerSec, dashboard, dashboardPort, escapeHatchBlocks, lightClientPoster,
                batchPoster, false, false);
    }

    public StoryConfig {
        if (exit && !join) {
            throw new IllegalArgumentException("--no-join needs --no-exit too: the exit waits for the joiner to sign");
        }
        if (bidders < 2 || bidders > DemoMarket.BIDDERS.size()) {
            throw new IllegalArgumentException("--demo-bidders must be 2.." + DemoMarket.BIDDERS.size() + ", got " + bidders);
        }
        if (silenceEveryWindows < 0 || silenceEveryWindows == 1 || silenceEveryWindows > 1_000) {
            throw new IllegalArgumentException("--demo-silence must be 0 (never) or 2..1000 windows, got " + silenceEveryWindows);
        }
        if (swapsPerSec < 0 || swapsPerSec > 50) {
            throw new IllegalArgumentException("--demo-swaps must be 0..50 per second, got " + swapsPerSec);
        }
        if (dashboardPort < 0 || dashboardPort > 65_535) {
            throw new IllegalArgumentException("--dashboard-port must be 0..65535, got " + dashboardPort);
        }
        if (batchPoster && !lightClientPoster) {
            throw new IllegalArgumentException("--no-light-client needs --no-batches too: batches are proven against the light client on L1");
        }
        if (escapeHatchBlocks < 1) {
            throw new IllegalArgumentException("--escape-hatch-blocks must be >= 1, got " + escapeHatchBlocks);
        }
    }

    /** Everything on: three bidders, a silent winner every third window, two swaps a second, the dashboard. */
    public static StoryConfig defaults() {
        return new StoryConfig(true, 3, 3, 2, true, 0, 20, true, true, true, true);
    }

    /** Only the network, demo traffic and the posters (what the devnet ran before the story). */
    public static StoryConfig off() {
        return new StoryConfig(false, 3, 0, 0, false, 0, 20, true, true);
    }

    /** The same parts with the validators' join and exit set as given. */
    public StoryConfig withStakeMoves(boolean join, boolean exit) {
        return new StoryConfig(market, bidders, silenceEveryWindows, swapsPerSec, dashboard, dashboardPort, escapeHatchBlocks,
                lightClientPoster, batchPoster, join, exit);
    }
}
