package dev.cortado.devnet.deploy;

import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the L1 contracts are deployed with.
 *
 * @param slotClock the Ethereum slot clock the marketplace schedules its auctions on
 * @param marketplace window length, phase lengths, escrow delay, bid cap, bond, commit fee and treasury
 * @param lightClient HotShot chain id, genesis state and stake-table commitment, retention, prover
 * @param stakeTable minimum stake, exit escrow and table cap of the registration contract
 * @param batchInbox first HotShot height and the poster allow-list of the network's inbox (every namespace)
 * @param rollupInboxes further inboxes, one per rollup that posts its own namespace (BatchInbox holds one
 *     height stream, so a second poster needs a second inbox); none by default
 */
public record DeployConfig(
        SlotClockConfig slotClock,
        MarketplaceConfig marketplace,
        LightClientConfig lightClient,
        StakeTableConfig stakeTable,
        BatchInboxConfig batchInbox,
        List<RollupInboxConfig> rollupInboxes) {

    public DeployConfig {
        Objects.requireNonNull(slotClock, "slotClock");
        Objects.requireNonNull(marketplace, "marketplace");
        Objects.requireNonNull(lightClient, "lightClient");
        Objects.requireNonNull(stakeTable, "stakeTable");
        Objects.requireNonNull(batchInbox, "batchInbox");
        rollupInboxes = List.copyOf(rollupInboxes);
        if (rollupInboxes.stream().map(RollupInboxConfig::namespace).distinct().count() != rollupInboxes.size()) {
            throw new IllegalArgumentException("one rollup inbox per namespace, got namespaces "
                    + rollupInboxes.stream().map(RollupInboxConfig::namespace).toList());
        }
    }

    public DeployConfig(SlotClockConfig slotClock, MarketplaceConfig marketplace, LightClientConfig lightClient,
            StakeTableConfig stakeTable, BatchInboxConfig batchInbox) {
        this(slotClock, marketplace, lightClient, stakeTable, batchInbox, List.of());
    }

    /** {@code slot = (t - genesisTimeSec) / secondsPerSlot}; the genesis may not lie in the L1's future. */
    public record SlotClockConfig(long genesisTimeSec, long secondsPerSlot) {
        public SlotClockConfig {
            if (genesisTimeSec < 0) throw new IllegalArgumentException("genesisTimeSec must be >= 0, got " + genesisTimeSec);
            if (secondsPerSlot < 1) throw new IllegalArgumentException("secondsPerSlot must be >= 1, got " + secondsPerSlot);
        }
    }

    /**
     * Auction schedule in whole slots: commit, reveal, resolution, then {@code finalitySlots} slots in which
     * window w's result is already final before w starts (at least the nodes' confirmation depth, so they
     * enforce it from w's first slot; auctions of consecutive windows may overlap). Escrow delay, the
     * bid cap per window, the bond every bid's collateral must cover on top of its amount, the
     * commit fee of a window's first bids (it doubles every 32 bids), and who receives fees and
     * forfeits. The deployer account becomes the registrar (the marketplace's owner).
     */
    public record MarketplaceConfig(long slotsPerWindow, long commitSlots, long revealSlots, long resolutionSlots,
            long finalitySlots, long withdrawalDelaySec, int maxBidsPerWindow, long bidBondWei, long commitFeeWei,
            String treasury) {
        public MarketplaceConfig {
            if (slotsPerWindow < 1 || commitSlots < 1 || revealSlots < 1 || resolutionSlots < 1 || finalitySlots < 1) {
                throw new IllegalArgumentException("window and phase lengths must be >= 1 slot, got window " + slotsPerWindow
                        + ", commit " + commitSlots + ", reveal " + revealSlots + ", resolution " + resolutionSlots
                        + ", finality " + finalitySlots);
            }
            if (withdrawalDelaySec < 0) throw new IllegalArgumentException("withdrawalDelaySec must be >= 0");
            if (maxBidsPerWindow < 1 || maxBidsPerWindow > 256) {
                throw new IllegalArgumentException("maxBidsPerWindow must be 1..256, got " + maxBidsPerWindow);
            }
            if (bidBondWei < 1) throw new IllegalArgumentException("bidBondWei must be >= 1, got " + bidBondWei);
            if (commitFeeWei < 0) throw new IllegalArgumentException("commitFeeWei must be >= 0, got " + commitFeeWei);
            requireAddress(treasury, "treasury");
        }
    }

    /**
     * The light client's genesis: HotShot chain id, the genesis state (view, height, blockCommRoot)
     * and the commitment of the first stake table; how many states it retains; an optional
     * permissioned prover (empty: anyone may submit).
     */
    public record LightClientConfig(long hotShotChainId, long genesisView, long genesisHeight,
            Bytes32 genesisBlockCommRoot, Bytes32 stakeTableComm, int historyCapacity,
            Optional<String> permissionedProver) {
        public LightClientConfig {
            if (hotShotChainId < 0) throw new IllegalArgumentException("hotShotChainId must be >= 0");
            if (genesisView < 0 || genesisHeight < 0) throw new IllegalArgumentException("genesis view/height must be >= 0");
            Objects.requireNonNull(genesisBlockCommRoot, "genesisBlockCommRoot");
            Objects.requireNonNull(stakeTableComm, "stakeTableComm");
            if (historyCapacity < 2) throw new IllegalArgumentException("historyCapacity must be >= 2, got " + historyCapacity);
            permissionedProver.ifPresent(p -> requireAddress(p, "permissionedProver"));
        }
    }

    /** Smallest stake (gwei), delay between an exit and its withdrawal, and the active-table cap. */
    public record StakeTableConfig(long minStakeGwei, long exitEscrowSec, int maxValidators) {
        public StakeTableConfig {
            if (minStakeGwei < 1) throw new IllegalArgumentException("minStakeGwei must be >= 1");
            if (exitEscrowSec < 0) throw new IllegalArgumentException("exitEscrowSec must be >= 0");
            if (maxValidators < 1) throw new IllegalArgumentException("maxValidators must be >= 1");
        }
    }

    /** The HotShot height the first batch starts at, and who may post. */
    public record BatchInboxConfig(long firstHeight, List<String> posters) {
        public BatchInboxConfig {
            if (firstHeight < 0) throw new IllegalArgumentException("firstHeight must be >= 0");
            posters = List.copyOf(posters);
            posters.forEach(p -> requireAddress(p, "poster"));
        }
    }

    /**
     * A rollup's own inbox: the namespace its poster posts (the deployment only records it; the inbox itself
     * takes whatever its allow-listed posters send), the first height and that allow-list, which may not be
     * empty (an inbox nobody may post to is a mistake, not a choice).
     */
    public record RollupInboxConfig(long namespace, BatchInboxConfig inbox) {
        public RollupInboxConfig {
            if (namespace < 0) throw new IllegalArgumentException("a rollup inbox's namespace must be >= 0, got " + namespace);
            Objects.requireNonNull(inbox, "inbox");
            if (inbox.posters().isEmpty()) {
                throw new IllegalArgumentException("the inbox of namespace " + namespace + " needs at least one poster");
            }
        }
    }

    /**
     * Devnet defaults: 8-slot windows whose auction commits for 3 slots, reveals for 2, resolves for 2
     * and is final {@link #DEVNET_FINALITY_SLOTS} slots before the window starts (so window w's commit phase
     * opens 3 slots before w - 1 starts); 256 bids per window (the most; see "Anti-spam parameters" in docs/architecture.md), a 0.001 ETH bond and a 0.0001 ETH commit fee; 1024 retained light-client states; no
     * permissioned prover; 32 ETH minimum stake with a 60 s exit escrow; batches from height 1.
     */
    /**
     * The devnet's finality gap: the nodes' confirmation depth (2 blocks, one per slot) plus two slots for the
     * follower's poll, a leader's proposal carrying the confirmed block as its {@code l1Head}, and an L1 that
     * falls behind the slot clock on a loaded machine (with one slot, a 120 s run at load average 8 showed a
     * window's rollups unsold for part of its first slot).
     */
    public static final long DEVNET_FINALITY_SLOTS = NodeL1Config.DEVNET_CONFIRMATIONS + 2;

    public static DeployConfig devnetDefaults(long genesisTimeSec, long secondsPerSlot, long hotShotChainId,
            Bytes32 stakeTableComm, List<String> batchPosters, String treasury) {
        return new DeployConfig(
                new SlotClockConfig(genesisTimeSec, secondsPerSlot),
                new MarketplaceConfig(8, 3, 2, 2, DEVNET_FINALITY_SLOTS, 4 * secondsPerSlot, 256, 1_000_000_000_000_000L,
                        100_000_000_000_000L, treasury),
                new LightClientConfig(hotShotChainId, 0, 0, Bytes32.ZERO, stakeTableComm, 1_024, Optional.empty()),
                new StakeTableConfig(32_000_000_000L, 60, 512),
                new BatchInboxConfig(1, batchPosters));
    }

    public DeployConfig withLightClient(LightClientConfig lc) {
        return new DeployConfig(slotClock, marketplace, lc, stakeTable, batchInbox, rollupInboxes);
    }

    public DeployConfig withMarketplace(MarketplaceConfig m) {
        return new DeployConfig(slotClock, m, lightClient, stakeTable, batchInbox, rollupInboxes);
    }

    /** With one more rollup inbox: {@code namespace}'s own, from the network inbox's first height, for {@code poster}. */
    public DeployConfig withRollupInbox(long namespace, String poster) {
        List<RollupInboxConfig> more = new ArrayList<>(rollupInboxes);
        more.add(new RollupInboxConfig(namespace, new BatchInboxConfig(batchInbox.firstHeight(), List.of(poster))));
        return new DeployConfig(slotClock, marketplace, lightClient, stakeTable, batchInbox, more);
    }

    static void requireAddress(String address, String what) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException(what + " must be a 0x-prefixed 20-byte hex address, got " + address);
        }
    }
}
