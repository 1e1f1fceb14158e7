package dev.cortado.devnet.sequencer;

import dev.cortado.devnet.run.DevnetNetwork;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.node.l1.MarketAdmission;
import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.MarketClock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The devnet's four nodes and broker ({@link DevnetNetwork}: real sockets, RocksDB, the devnet's node settings),
 * every node enforcing in blocks and at its API a marketplace with the same rollups and winners in every window of
 * {@code clock}, known at L1 block 10. The L1 follower is left out (it is tested on Anvil); everything after it,
 * admission, gossip, the bundle pool, the block rule and the silence fold, is the node's own.
 */
final class FixedMarketNetwork implements AutoCloseable {
    static final long HOTSHOT_CHAIN_ID = 0xBE7CL;
    final DevnetNetwork network;
    volatile MarketClock clock;

    private FixedMarketNetwork(DevnetNetwork network) {
        this.network = network;
    }

    /** The nodes, not yet enforcing any marketplace (every namespace open, l1Head 0). */
    static FixedMarketNetwork startOpen(Path dir) throws IOException {
        return new FixedMarketNetwork(DevnetNetwork.start(DevnetValidators.generate(4, 3), HOTSHOT_CHAIN_ID, dir));
    }

    static FixedMarketNetwork start(Path dir, MarketClock clock, Map<Long, Address> defaults, Map<Long, Address> winners,
                                    long silenceSlots) throws IOException {
        FixedMarketNetwork n = startOpen(dir);
        try {
            n.enforce(clock, defaults, winners, silenceSlots);
            return n;
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
    }

    /** From now on every node enforces the marketplace, takes bundles at its API, gossips and builds from them. */
    void enforce(MarketClock marketClock, Map<Long, Address> defaults, Map<Long, Address> winners, long silenceSlots) {
        this.clock = marketClock;
        MarketState state = new MarketState() {
            @Override
            public long followedBlock() {
                return 10;
            }

            @Override
            public MarketAnswer windowAt(long w, long l1Block) {
                return new MarketAnswer.Known(new MarketWindow(w, marketClock.slotsPerWindow(), defaults, winners), true);
            }

            @Override
            public MarketClock clock() {
                return marketClock;
            }
        };
        for (CortadoNode n : network.nodes()) {
            BundlePool pool = new BundlePool(4_096, 16_384, 64L << 20);
            n.followL1(state, 16, SequencerServiceTest.CHAIN, SequencerServiceTest.MARKET, silenceSlots);
            n.takeBundles(new MarketAdmission(state, SequencerServiceTest.CHAIN, SequencerServiceTest.MARKET,
                    System::currentTimeMillis, pool), pool);
        }
    }

    List<URI> apiUrls() {
        return network.apiUrls();
    }

    CortadoNode node(int i) {
        return network.nodes().get(i);
    }

    @Override
    public void close() {
        network.close();
    }
}
