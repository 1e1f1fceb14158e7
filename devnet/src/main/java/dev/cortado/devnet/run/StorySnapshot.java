package dev.cortado.devnet.run;

import java.util.List;
import java.util.Map;

/**
 * One picture of the running devnet, what the terminal line and the dashboard show (the dashboard gets it as
 * JSON, so field names are part of its contract with {@code dashboard/app.js}). Wei amounts are decimal strings.
 */
public record StorySnapshot(long nowMs, Clock clock, Parts parts, HotShot hotShot, LightClient lightClient,
        List<BatchRow> batches, List<DemoMarket.WindowRow> windows, Transactions transactions, List<NodeHealth> nodes,
        NetworkRights rights, Map<String, Long> bundlesSent, String problems) {

    /**
     * The sequencing rights the most advanced node enforces after its decided tip ({@code GET /v0/status}): the
     * tip's window and slot, and each registered namespace's holder with the reason (sold, unsold, fallback). A
     * fallback here is the network's silence rule having fired, not the devnet's guess. Null before any node told.
     */
    public record NetworkRights(long height, long window, long slot, List<NamespaceRight> namespaces) {
        /** The reason the nodes give for {@code namespace} in {@code window}, or null when they speak of another window. */
        public NamespaceRight in(long window, long namespace) {
            if (window != this.window) return null;
            return namespaces.stream().filter(n -> n.namespace() == namespace).findFirst().orElse(null);
        }
    }

    /** @param holder the holder's demo name where the story knows it, else its address */
    public record NamespaceRight(long namespace, String holder, String holderAddress, String reason) {
        public boolean fallback() {
            return "fallback".equals(reason);
        }
    }

    /**
     * The slot clock: genesis, slot length, the current slot and window, and every auction phase's length
     * ({@code finalitySlots}: the result is final that many slots before its window starts).
     */
    public record Clock(long genesisSec, long secondsPerSlot, long slot, long window, long slotsPerWindow, long commitSlots,
            long revealSlots, long resolutionSlots, long finalitySlots, long l1Block) {
    }

    /** Which parts of the story run. */
    public record Parts(boolean market, boolean sequencers, boolean silence, int silenceEveryWindows, boolean batches,
            boolean lightClient) {
    }

    /**
     * HotShot as the nodes report it, with a short history of (time, height) for the chart. With epochs, the epoch of
     * the height and its table's size as node 0 serves them ({@code -1} without epochs or before the first answer),
     * and the validators' join and exit so far, oldest first.
     */
    public record HotShot(long height, long view, int leader, double decidesPerSec, List<long[]> history, long epoch,
            int validators, List<String> stakeEvents) {
        public HotShot {
            stakeEvents = stakeEvents == null ? List.of() : List.copyOf(stakeEvents);
        }

        /** A network that runs one table and shows none of it. */
        public HotShot(long height, long view, int leader, double decidesPerSec, List<long[]> history) {
            this(height, view, leader, decidesPerSec, history, -1, -1, List.of());
        }
    }

    /** LightClient.sol's height, the L1 block of its last update, and the lag in L1 blocks against the threshold. */
    public record LightClient(long heightOnL1, long lastUpdateL1Block, long lagBlocks, long escapeHatchBlocks) {
    }

    /**
     * One batch recorded in a BatchInbox. Scope names its poster: "all" (the network's, every namespace) or the
     * namespace of a rollup's own poster. Ratio is the blocks' payload bytes over the frame's bytes.
     */
    public record BatchRow(String scope, long firstHeight, long lastHeight, int frameBytes, long payloadBytes, double ratio, String carrier,
            long gasUsed, String costWei, String costPerByteWei, long l1Block, String txHash) {
    }

    /** The followed transactions (newest first), the pre-confirmation p50 and the demo users' counters. */
    public record Transactions(List<TxTracker.Tx> recent, long preconfP50Ms, long preconfirmed, long openAccepted,
            long usersSent, long usersUnanswered, long usersRefused, String lastUserRefusal) {
    }

    /** One node's view: height, view, leader, peers connected, the CDN broker or direct links, rejected messages. */
    public record NodeHealth(int index, long height, long view, int peers, String link, long rejected, boolean up) {
    }
}
