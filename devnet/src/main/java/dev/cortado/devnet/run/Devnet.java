package dev.cortado.devnet.run;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.l1.L1Kind;
import dev.cortado.devnet.l1.L1Options;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import dev.cortado.settlement.port.SlotClock;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * A running local network: L1, contracts, validators registered with proofs of possession, a CDN
 * broker and the nodes, demo rollup traffic, and a light-client poster. Parts start in dependency
 * order and stop in reverse order on {@link #close()}, which also runs on Ctrl-C and SIGTERM.
 */
public final class Devnet implements AutoCloseable {
    /** In the devnet's folder while its dashboard runs: the dashboard's URL, for {@code cortado status --devnet}. */
    public static final String DASHBOARD_URL_FILE = "dashboard.url";
    private final DevnetConfig config;
    private final StoryConfig story;
    private final PrintStream console;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /**
     * The demo rollup that runs its own batch poster, as calldata into its own BatchInbox: the first demo
     * namespace, the one the rollup client of the devnet's tests already proves against the nodes.
     */
    public static final long OWN_POSTER_NAMESPACE = DemoTraffic.NAMESPACES.getFirst();
    /** What the devnet gives the rollup's fresh poster key: far more than a run's calldata batches cost. */
    private static final BigInteger OWN_POSTER_FUNDS_WEI = BigInteger.TEN.pow(19);
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private L1Devnet l1;
    private SlotClock slotClock;
    private Deployment deployment;
    private DevnetValidators validators;
    private DevnetNetwork network;
    private DemoTraffic traffic;
    private LightClientPoster poster;
    private long lightClientHeightOnL1 = -1;
    private String lastPosterProblem = "";
    private DevnetBatches batches;
    private DevnetBatches rollupBatches;
    private Credentials rollupPosterKey;
    private volatile long lightClientUpdateL1Block = -1;
    private DemoMarket demoMarket;
    private DemoSequencing demoSequencing;
    private TxTracker tracker;
    private NodeWatch nodeWatch;
    private ValidatorMoves moves;
    private StoryView view;
    private dev.cortado.devnet.dashboard.DashboardServer dashboard;

    private Devnet(DevnetConfig config, StoryConfig story, PrintStream console) {
        this.config = config;
        this.story = story;
        this.console = console;
    }

    /** The network, demo traffic and both posters, without the marketplace story or the dashboard. */
    public static Devnet start(DevnetConfig config, PrintStream console) throws Exception {
        return start(config, StoryConfig.off(), console);
    }

    public static Devnet start(DevnetConfig config, StoryConfig story, PrintStream console) throws Exception {
        Devnet devnet = new Devnet(config, story, console);
        try {
            devnet.startAll();
            return devnet;
        } catch (Exception | Error e) {
            devnet.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(config.outDir());
        long genesisSec = System.currentTimeMillis() / 1000;
        boolean anvil = config.l1() == L1Kind.ANVIL;
        if (story.join() && config.schedule().isEmpty()) {
            throw new IllegalArgumentException("the joiner registers through epochs: --epoch-blocks 0 needs --no-join");
        }
        if (story.market() && !anvil) {
            throw new IllegalArgumentException("the market story funds " + DemoMarket.ACCOUNTS
                    + " accounts, which only the Anvil L1 has: add --no-market to run it on besu");
        }
        console.printf("starting %s (slot = %d s) ...%n", config.l1().name().toLowerCase(Locale.ROOT), config.secondsPerSlot());
        // Anvil deploys under automine, then seals one block per slot; Besu's Clique signer seals on
        // its own clock from the start.
        L1Options l1Options = L1Options.anvil().withKind(config.l1())
                .withBlockTimeSec(anvil ? 0 : config.secondsPerSlot())
                .withGenesisTimestampSec(genesisSec);
        if (story.market()) {
            l1Options = new L1Options(l1Options.kind(), l1Options.chainId(), l1Options.blockTimeSec(),
                    l1Options.genesisTimestampSec(), DemoMarket.ACCOUNTS, l1Options.balanceEth(), l1Options.startTimeoutMs());
        }
        l1 = remember(L1Devnet.start(l1Options));
        slotClock = new SlotClock(genesisSec, config.secondsPerSlot());

        validators = DevnetValidators.generate(config.nodes(), config.daCommittee(), config.nodesStarted() - config.nodes());
        console.printf("deploying contracts and registering %d validators (DA committee of %d) ...%n",
                config.nodes(), config.daCommittee());
        var accounts = l1.accounts();
        DeployConfig deployConfig = DeployConfig.devnetDefaults(genesisSec, config.secondsPerSlot(),
                config.hotShotChainId(), validators.table().commitment(), List.of(accounts.get(0).getAddress()),
                accounts.get(0).getAddress());
        // The rollup posts from a key of its own, which only its inbox allows: not the network's deployer account.
        rollupPosterKey = Credentials.create(Keys.createEcKeyPair());
        deployConfig = deployConfig.withRollupInbox(OWN_POSTER_NAMESPACE, rollupPosterKey.getAddress());
        deployment = Deployer.deploy(l1.web3j(), l1.rpcUrl(), l1.chainId(), l1.deployer(), deployConfig);
        validators.register(l1.web3j(), l1.chainId(), deployment.stakeTable().address(),
                accounts.subList(1, 1 + config.nodes()));
        Deployer.fund(l1.web3j(), l1.chainId(), l1.deployer(), rollupPosterKey.getAddress(), OWN_POSTER_FUNDS_WEI);
        deployment.write(deploymentFile());
        if (anvil) {
            l1.setIntervalMining(config.secondsPerSlot());
        }

        console.printf("starting a broker and %d nodes%s ...%n", config.nodesStarted(), config.schedule()
                .map(e -> " (epochs of " + e.epochBlocks() + " blocks; node " + config.nodes() + " not registered yet)").orElse(""));
        // Each node follows the marketplace from deployment.json (issue 11): admission and the bundle endpoint.
        network = remember(DevnetNetwork.start(validators, config.hotShotChainId(), config.outDir().resolve("nodes"),
                NodeL1Config.of(deployment, NodeL1Config.DEVNET_CONFIRMATIONS, NodeL1Config.DEVNET_POLL_MS), config.schedule()));
        network.awaitLive(console, config.outDir().resolve("nodes"));
        tracker = remember(new TxTracker(network.apiUrls(), 500));
        traffic = remember(DemoTraffic.start(network.apiUrls(), config.demoTxPerSec()));
        traffic.sampleInto(tracker, 40);
        nodeWatch = remember(new NodeWatch(network.apiUrls()));
        if (config.schedule().isPresent()) moves = remember(ValidatorMoves.of(this, console));
        if (story.market()) {
            console.printf("registering %d demo rollups and starting %d bidders, a resolver and their sequencers ...%n",
                    DemoMarket.ROLLUPS.size(), story.bidders());
            demoMarket = remember(DemoMarket.start(l1.rpcUrl(), deployment.marketplace().address(), l1.accounts(), story.bidders(),
                    story.silenceEveryWindows(), config.outDir().resolve("bidders"), 500, line -> { }));
            demoSequencing = remember(DemoSequencing.start(demoMarket, tracker, l1.rpcUrl(), l1.chainId(),
                    deployment.marketplace().address(), deployment.stakeTable().address(), l1.accounts(), story.bidders(),
                    network.apiUrls(), NodeL1Config.DEVNET_CONFIRMATIONS, story.swapsPerSec(),
                    nodeWatch::rights));
        }
        poster = remember(LightClientPoster.connect(posterConfig(), l1.deployer()));
        view = new StoryView(this);
        if (story.dashboard()) {
            dashboard = remember(dev.cortado.devnet.dashboard.DashboardServer.start(story.dashboardPort(), view::snapshot));
            // cortado status --devnet finds the running devnet here; the file goes when the dashboard does.
            Path urlFile = config.outDir().resolve(DASHBOARD_URL_FILE);
            Files.writeString(urlFile, dashboard.url() + "\n", StandardCharsets.UTF_8);
            remember(() -> Files.deleteIfExists(urlFile));
        }
        batches = remember(DevnetBatches.network(l1.rpcUrl(), deployment.batchInbox().address(), deployment.lightClient().address(),
                network.apiUrls(), config.outDir().resolve("batch-poster.journal"), config.secondsPerSlot() * 1000L,
                config.batchMaxAgeMs(), l1.deployer()));
        rollupBatches = remember(DevnetBatches.rollup(l1.rpcUrl(), rollupInbox().address(), deployment.lightClient().address(),
                network.apiUrls(), OWN_POSTER_NAMESPACE, config.outDir().resolve("rollup-" + OWN_POSTER_NAMESPACE
                        + "-batch-poster.journal"), config.secondsPerSlot() * 1000L, config.batchMaxAgeMs(), rollupPosterKey));
        DevnetSummary.print(this, console);
    }

    /**
     * With epochs the poster trusts only LightClient.sol's stored table and posts each rotation before later states;
     * a poster that knows one table would refuse every state after the first change.
     */
    private LightClientPoster.Config posterConfig() {
        var of = LightClientPoster.Config.of(l1.rpcUrl(), deployment.lightClient().address(), network.apiUrls(),
                config.schedule().isPresent() ? new StakeTableTrust.OnL1() : new StakeTableTrust.Known(validators.table()));
        return config.schedule().map(of::withEpochs).orElse(of);
    }

    private <T extends AutoCloseable> T remember(T part) {
        started.push(part);
        return part;
    }

    /** The rollup's own poster address (its key stays in this process). */
    public String rollupPosterAddress() {
        return rollupPosterKey.getAddress();
    }

    public Path deploymentFile() {
        return config.outDir().resolve("deployment.json");
    }

    public long currentSlot() {
        return slotClock.slotAt(System.currentTimeMillis() / 1000);
    }

    public L1Devnet l1() {
        return l1;
    }

    public Deployment deployment() {
        return deployment;
    }

    public DevnetValidators validators() {
        return validators;
    }

    /** Each node's marketplace follower and bundle pool, in stake-table order. */
    public java.util.List<dev.cortado.node.l1.NodeMarket> markets() {
        return network.markets();
    }

    public DevnetNetwork network() {
        return network;
    }

    public DemoTraffic traffic() {
        return traffic;
    }

    public LightClientPoster poster() {
        return poster;
    }

    /**
     * Posts the newest certified light-client state to L1 if it is ahead of the contract.
     *
     * @return the height the contract covers afterwards, or -1 if none yet
     */
    public long postLightClient() {
        if (network.height() < 1) {
            return lightClientHeightOnL1; // nothing decided, so nothing certified to post yet
        }
        try {
            var result = poster.postLatest();
            if (result instanceof LightClientPoster.PostResult.Posted p) {
                lightClientUpdateL1Block = p.l1Block();
                if (moves != null) moves.lightClientPosted(p, poster.reader());
            }
            lightClientHeightOnL1 = Math.max(lightClientHeightOnL1, switch (result) {
                case LightClientPoster.PostResult.Posted p -> p.height();
                case LightClientPoster.PostResult.Skipped s -> s.contractHeight();
            });
            lastPosterProblem = "";
        } catch (RuntimeException e) {
            // Before the first certificate exists the nodes have nothing to serve; report, keep going.
            lastPosterProblem = e.getMessage();
        }
        return lightClientHeightOnL1;
    }

    /**
     * One step of each batch poster (after the light client, on the same thread): the network's, on the
     * deployer account, then the rollup's own, on its key. Returns the last height in the network's inbox.
     */
    public long postBatches() {
        for (DevnetBatches b : List.of(batches, rollupBatches)) {
            var posted = b.step();
            if (posted != null) view.batchPosted(posted, b.scopeName());
        }
        return batches.postedThrough();
    }

    /** The last height the rollup's own poster got into its inbox (-1 while none); {@link #postBatches()} steps it. */
    public long rollupBatchesThrough() {
        return rollupBatches.postedThrough();
    }

    /** The inbox of {@link #OWN_POSTER_NAMESPACE}'s own poster. */
    public Deployment.DeployedContract rollupInbox() {
        return deployment.rollupInbox(OWN_POSTER_NAMESPACE).orElseThrow().inbox();
    }

    /** Prints a status line every slot until {@code duration} has passed (forever when null) or close. */
    public void runUntil(Duration duration) throws InterruptedException {
        long deadlineMs = duration == null ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
        Thread hook = new Thread(this::close, "devnet-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (true) {
                long nowMs = System.currentTimeMillis();
                if (nowMs >= deadlineMs) return;
                long waitMs = Math.min(slotClock.msUntilNextSlot(nowMs), deadlineMs - nowMs);
                if (stopped.await(waitMs, TimeUnit.MILLISECONDS)) return;
                if (System.currentTimeMillis() < deadlineMs) {
                    if (story.lightClientPoster()) postLightClient();
                    if (story.batchPoster()) postBatches();
                    printStatus();
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already closing the devnet.
            }
        }
    }

    /** The slot's line, then each part's problem (the same the dashboard shows) indented under it. */
    private void printStatus() {
        StorySnapshot s = view.snapshot();
        console.println(StoryView.line(s));
        s.problems().lines().forEach(p -> console.println("  " + p));
    }

    public StoryConfig story() {
        return story;
    }

    /** The story's auction side, or null with {@code --no-market}. */
    public DemoMarket demoMarket() {
        return demoMarket;
    }

    /** The story's sequencers and users, or null with {@code --no-market}. */
    public DemoSequencing demoSequencing() {
        return demoSequencing;
    }

    public TxTracker tracker() {
        return tracker;
    }

    public NodeWatch nodeWatch() {
        return nodeWatch;
    }

    /** The validators' join and exit with the current epoch, or null with {@code --epoch-blocks 0}. */
    public ValidatorMoves moves() {
        return moves;
    }

    List<DevnetBatches> batchPosters() {
        return java.util.Arrays.asList(batches, rollupBatches);
    }

    String lastPosterProblem() {
        return lastPosterProblem;
    }

    /** The dashboard, or null with {@code --no-dashboard}. */
    public dev.cortado.devnet.dashboard.DashboardServer dashboard() {
        return dashboard;
    }

    public StoryView view() {
        return view;
    }

    long lightClientHeightOnL1() {
        return lightClientHeightOnL1;
    }

    long lightClientUpdateL1Block() {
        return lightClientUpdateL1Block;
    }

    SlotClock slotClock() {
        return slotClock;
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) return;
        stopped.countDown();
        RuntimeException first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) first = new IllegalStateException("stopping the devnet: " + e.getMessage(), e);
            }
        }
        if (first != null) throw first;
    }

    public DevnetConfig config() {
        return config;
    }
}
