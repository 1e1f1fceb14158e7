package dev.cortado.devnet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the L1 contracts live: written to {@code deployment.json} by the deployer and read by every
 * component that talks to L1.
 *
 * @param chainId the L1 chain id
 * @param rpcUrl the L1 JSON-RPC endpoint used for the deployment
 * @param lightClient LightClient.sol
 * @param stakeTable StakeTable.sol
 * @param marketplace SequencingMarketplace.sol
 * @param batchInbox BatchInbox.sol
 * @param slotClock the slot clock the marketplace was deployed with
 * @param schedule the marketplace's window and phase lengths, in slots
 * @param hotShotChainId the HotShot chain id the light client checks signatures under
 * @param rollupInboxes the BatchInbox of each rollup that posts its own namespace (empty when none; a file
 *     written before these existed reads as empty)
 */
public record Deployment(
        long chainId,
        String rpcUrl,
        DeployedContract lightClient,
        DeployedContract stakeTable,
        DeployedContract marketplace,
        DeployedContract batchInbox,
        DeployConfig.SlotClockConfig slotClock,
        Schedule schedule,
        long hotShotChainId,
        List<RollupInbox> rollupInboxes) {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public Deployment {
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(lightClient, "lightClient");
        Objects.requireNonNull(stakeTable, "stakeTable");
        Objects.requireNonNull(marketplace, "marketplace");
        Objects.requireNonNull(batchInbox, "batchInbox");
        Objects.requireNonNull(slotClock, "slotClock");
        Objects.requireNonNull(schedule, "schedule");
        rollupInboxes = rollupInboxes == null ? List.of() : List.copyOf(rollupInboxes);
    }

    public Deployment(long chainId, String rpcUrl, DeployedContract lightClient, DeployedContract stakeTable,
            DeployedContract marketplace, DeployedContract batchInbox, DeployConfig.SlotClockConfig slotClock,
            Schedule schedule, long hotShotChainId) {
        this(chainId, rpcUrl, lightClient, stakeTable, marketplace, batchInbox, slotClock, schedule, hotShotChainId,
                List.of());
    }

    /** {@code namespace}'s own inbox, if the deployment has one. */
    public Optional<RollupInbox> rollupInbox(long namespace) {
        return rollupInboxes.stream().filter(r -> r.namespace() == namespace).findFirst();
    }

    /** A rollup's own BatchInbox: its namespace, the contract, and who may post to it. */
    public record RollupInbox(long namespace, DeployedContract inbox, List<String> posters) {
        public RollupInbox {
            if (namespace < 0) throw new IllegalArgumentException("namespace must be >= 0, got " + namespace);
            Objects.requireNonNull(inbox, "inbox");
            posters = List.copyOf(posters);
        }
    }

    /** A contract's address and the L1 block it was deployed in (where event scans start). */
    public record DeployedContract(String address, long deploymentBlock) {
        public DeployedContract {
            DeployConfig.requireAddress(address, "address");
            if (deploymentBlock < 0) throw new IllegalArgumentException("deploymentBlock must be >= 0");
        }
    }

    /** Window and auction-phase lengths, in slots (finality: the gap between resolution and the window). */
    public record Schedule(long slotsPerWindow, long commitSlots, long revealSlots, long resolutionSlots,
            long finalitySlots) {
    }

    /** Writes this deployment as JSON to {@code file}, creating parent folders. */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a deployment written by {@link #write(Path)}. */
    public static Deployment read(Path file) {
        try {
            return JSON.readValue(Files.readString(file), Deployment.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not a deployment file: " + e.getOriginalMessage(), e);
        }
    }
}
