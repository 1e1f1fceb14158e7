package dev.cortado.settlement.port;

import java.util.List;

/**
 * What a node reads from SequencingMarketplace.sol and StakeTable.sol, every read pinned to one L1 block
 * number so that replicas reading at the same block get the same answer. The web3j adapter is
 * {@code dev.cortado.settlement.l1.Web3jMarketplaceL1}.
 */
public interface MarketplaceL1 extends AutoCloseable {
    /** At most this many blocks per log query, so one answer stays small. */
    int MAX_LOG_RANGE_BLOCKS = 1_000;

    /** The marketplace's slot clock and window length (immutable after deployment). */
    MarketClock clock();

    /**
     * The blocks in {@code [fromBlock, toBlock]} where the marketplace emitted any event, ascending and
     * distinct: only there can its registry or results change (besides a window turning final by time).
     */
    List<Long> marketplaceEventBlocks(long fromBlock, long toBlock);

    /** Window {@code window}'s registry and, if final at that block, its winners, as of L1 block {@code blockNumber}. */
    WindowState windowAt(long blockNumber, long window);

    /** StakeTable registrations and exits in {@code [fromBlock, toBlock]}, in log order. */
    List<StakeTableEvent> stakeTableEvents(long fromBlock, long toBlock);

    @Override
    void close();
}
