package dev.cortado.node.l1;

import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.LightClientL1;
import dev.cortado.settlement.port.MarketplaceL1;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link L1Follower} on its own thread: opens the L1 through the {@link L1Connector} port, keeps the
 * follower's state in {@link #storeDir} and polls every {@code pollIntervalMs}. A failed poll (L1 down,
 * deep reorg) changes nothing and is retried; the last error is kept for status answers.
 */
public final class L1FollowerService implements AutoCloseable {
    /** The shortest gap between a poll and a poll asked for by {@link MarketState#pollSoon}. */
    static final long MIN_ASKED_GAP_MS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(L1FollowerService.class);

    private final L1Client l1;
    private final MarketplaceL1 market;
    private final LightClientL1 lightClient;
    private final L1FollowerStore store;
    private final L1Follower follower;
    private final L1Settings settings;
    private final ScheduledExecutorService timer;
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** At most one asked-for poll waits at a time, however many proposals ask (each asks while it is deferred). */
    private final java.util.concurrent.atomic.AtomicBoolean askedPollQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long lastPollStartMs;

    private L1FollowerService(L1Client l1, MarketplaceL1 market, LightClientL1 lightClient, L1FollowerStore store,
                              L1Settings settings) {
        this.l1 = l1;
        this.market = market;
        this.lightClient = lightClient;
        this.store = store;
        this.settings = settings;
        this.follower = new L1Follower(l1, market, lightClient, settings.follower(), store);
        follower.polledBy(settings.pollIntervalMs(), this::askPoll);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "l1-follower");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects to the L1 and opens (or creates) the follower's store; does not poll yet. */
    public static L1FollowerService open(L1Settings settings, Path dataDir) {
        L1Connector connector = L1Connector.load();
        L1Client l1 = connector.connect(settings.rpcUrl(), settings.chainId());
        MarketplaceL1 market = null;
        LightClientL1 lightClient = null;
        try {
            market = connector.marketplace(settings.rpcUrl(), settings.marketplace(), settings.stakeTable());
            if (settings.lightClient() != null) lightClient = connector.lightClient(settings.rpcUrl(), settings.lightClient());
            return new L1FollowerService(l1, market, lightClient, new L1FollowerStore(storeDir(dataDir)), settings);
        } catch (RuntimeException e) {
            if (lightClient != null) lightClient.close();
            if (market != null) market.close();
            l1.close();
            throw e;
        }
    }

    /**
     * {@code <dataDir>.l1}, next to the node's RocksDB folder rather than inside it, so neither database ever
     * sees the other's files.
     */
    public static Path storeDir(Path dataDir) {
        Path abs = dataDir.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".l1");
    }

    public L1Follower follower() {
        return follower;
    }

    public L1Settings settings() {
        return settings;
    }

    /** The last poll's error, or null when it succeeded. */
    public String lastError() {
        return lastError.get();
    }

    public L1FollowerService start() {
        timer.scheduleWithFixedDelay(this::pollOnce, 0, settings.pollIntervalMs(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * A replica holds a proposal whose l1Head it has not followed: poll now instead of at the next interval (up to
     * {@code pollIntervalMs} later, a stall of the whole view). Asked polls are coalesced and spaced at least
     * {@link #MIN_ASKED_GAP_MS} from the previous poll, so a leader naming future blocks costs the L1 a bounded rate.
     */
    private void askPoll() {
        if (!askedPollQueued.compareAndSet(false, true)) return;
        long waitMs = Math.max(0, lastPollStartMs + MIN_ASKED_GAP_MS - System.currentTimeMillis());
        try {
            timer.schedule(() -> {
                askedPollQueued.set(false);
                pollOnce();
            }, waitMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            askedPollQueued.set(false);
        }
    }

    private void pollOnce() {
        lastPollStartMs = System.currentTimeMillis();
        try {
            follower.catchUp(4);
            lastError.set(null);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.equals(lastError.getAndSet(msg))) LOG.warn("L1 follower: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        if (lightClient != null) lightClient.close();
        market.close();
        l1.close();
    }
}
