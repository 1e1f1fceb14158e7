package dev.cortado.settlement.batch;

import dev.cortado.lightclient.NodeFollower;
import dev.cortado.settlement.batch.BatchVerifier.AnchorRoots;
import dev.cortado.settlement.batch.PostJournal.InFlight;
import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchFrame;
import dev.cortado.settlement.batch.codec.CodecId;
import dev.cortado.settlement.l1.AccountSender;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.LightClientReader;
import dev.cortado.settlement.lightclient.LightClientReader.FinalizedState;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * Posts contiguous HotShot height ranges to BatchInbox, as calldata or EIP-4844 blobs. Each step: settle the journaled
 * transaction if there is one, read {@code nextHeight()} and LightClient's certified height, collect
 * and prove the heights in between (never anything LightClient has not certified), close the batch
 * on size or age, verify the frame exactly as a reader will, then journal, send and await it. All
 * other state is read from L1, so a restart or an L1 reorg simply re-derives what is left to post.
 * One poster per journal; its account may be shared with a light-client poster of the same process
 * through one {@link AccountSender}.
 */
public final class BatchPoster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPoster.class);

    /**
     * @param scopeNamespace {@link BlockWitness#ALL_NAMESPACES} or the one namespace to post
     * @param targetFrameBytes a batch closes once its frame would exceed this (calldata: below the 128 KiB tx limit)
     * @param maxAgeMs a batch closes once its first block is this old, whatever its size
     * @param maxBlocksPerBatch at most this many heights per batch (bounds memory and proving work)
     * @param maxFeePerGasWei the poster never offers more per gas or per blob gas; above it, it waits
     * @param carrier calldata, blobs, or per batch whichever is cheaper at the current fees
     * @param bumpAfterMs a transaction still unmined this long after signing is replaced with raised fees
     *     (sooner when the base fee has passed its fee cap, so it cannot be mined at all)
     * @param targetBlobs 0: close on {@code targetFrameBytes}; n ≥ 1: close once the frame would not fit n
     *     blobs ({@link BlobPacking#frameCapacity}), which packs blobs full (calldata keeps {@code targetFrameBytes});
     *     above 1 only with {@link Carrier#BLOBS}, since such a frame is too large for a calldata transaction
     */
    public record Config(String rpcUrl, String inboxAddress, String lightClientAddress, List<URI> nodes,
            long scopeNamespace, int targetFrameBytes, long maxAgeMs, int maxBlocksPerBatch, BigInteger maxFeePerGasWei,
            Path journalFile, int maxRpcAttempts, long receiptPollMs, long receiptTimeoutMs, Carrier carrier,
            long bumpAfterMs, int targetBlobs) {
        /** Four mainnet slots: a transaction left out of that many blocks is underpriced, not unlucky. */
        public static final long DEFAULT_BUMP_AFTER_MS = 48_000;

        public Config(String rpcUrl, String inboxAddress, String lightClientAddress, List<URI> nodes, long scopeNamespace,
                int targetFrameBytes, long maxAgeMs, int maxBlocksPerBatch, BigInteger maxFeePerGasWei, Path journalFile,
                int maxRpcAttempts, long receiptPollMs, long receiptTimeoutMs, Carrier carrier) {
            this(rpcUrl, inboxAddress, lightClientAddress, nodes, scopeNamespace, targetFrameBytes, maxAgeMs,
                    maxBlocksPerBatch, maxFeePerGasWei, journalFile, maxRpcAttempts, receiptPollMs, receiptTimeoutMs, carrier,
                    DEFAULT_BUMP_AFTER_MS, 0);
        }

        public Config withBumpAfterMs(long ms) {
            return new Config(rpcUrl, inboxAddress, lightClientAddress, nodes, scopeNamespace, targetFrameBytes, maxAgeMs,
                    maxBlocksPerBatch, maxFeePerGasWei, journalFile, maxRpcAttempts, receiptPollMs, receiptTimeoutMs, carrier, ms,
                    targetBlobs);
        }

        public Config withTargetBlobs(int blobs) {
            return new Config(rpcUrl, inboxAddress, lightClientAddress, nodes, scopeNamespace, targetFrameBytes, maxAgeMs,
                    maxBlocksPerBatch, maxFeePerGasWei, journalFile, maxRpcAttempts, receiptPollMs, receiptTimeoutMs, carrier,
                    bumpAfterMs, blobs);
        }

        /** The frame size a batch closes at: a blob's (or n blobs') capacity when blobs may carry it. */
        public int frameLimitBytes() {
            return targetBlobs == 0 || carrier == Carrier.CALLDATA ? targetFrameBytes : BlobPacking.frameCapacity(targetBlobs);
        }

        public Config {
            Objects.requireNonNull(carrier, "carrier");
            Objects.requireNonNull(rpcUrl, "rpcUrl");
            Objects.requireNonNull(journalFile, "journalFile");
            nodes = List.copyOf(nodes);
            if (nodes.isEmpty()) throw new IllegalArgumentException("the batch poster needs at least one node URL");
            if (targetFrameBytes < 1024 || targetFrameBytes > BatchFrame.MAX_PLAIN_BYTES) {
                throw new IllegalArgumentException("targetFrameBytes must be in 1024.." + BatchFrame.MAX_PLAIN_BYTES
                        + ", got " + targetFrameBytes);
            }
            if (maxAgeMs < 0 || maxBlocksPerBatch < 1 || receiptPollMs < 1 || receiptTimeoutMs < receiptPollMs) {
                throw new IllegalArgumentException("maxAgeMs >= 0, maxBlocksPerBatch >= 1 and receiptTimeoutMs >="
                        + " receiptPollMs >= 1 are required");
            }
            if (maxFeePerGasWei.signum() <= 0) throw new IllegalArgumentException("maxFeePerGasWei must be positive");
            if (bumpAfterMs < 0) throw new IllegalArgumentException("bumpAfterMs must be >= 0, got " + bumpAfterMs);
            if (targetBlobs < 0 || targetBlobs > BlobPacking.MAX_BLOBS) {
                throw new IllegalArgumentException("targetBlobs must be 0.." + BlobPacking.MAX_BLOBS + ", got " + targetBlobs);
            }
            if (targetBlobs > 1 && carrier != Carrier.BLOBS) {
                throw new IllegalArgumentException("a batch of " + targetBlobs + " blobs cannot fall back to calldata:"
                        + " targetBlobs > 1 needs the blobs carrier");
            }
        }
    }

    /** How batches travel to L1. */
    public enum Carrier { CALLDATA, BLOBS, CHEAPEST }

    /** What one step did. */
    public sealed interface Outcome {
        /**
         * Range {@code first..last} is recorded by the inbox in {@code txHash}; {@code replaced} names the
         * stuck transaction of the same nonce it replaced with raised fees, or is null.
         */
        record Posted(long firstHeight, long lastHeight, int frameBytes, CodecId codec, String txHash, long l1Block,
                long gasUsed, BigInteger maxFeePerGasWei, boolean resent, PostCost.Choice price, String replaced)
                implements Outcome {
            /** Whether this was a blob transaction signed in this step (a re-sent one has no price). */
            public boolean inBlobs() {
                return price != null && price.mode() == PostCost.Mode.BLOBS;
            }

            /** The share of its blobs' bytes the batch used ({@link BlobPacking#occupancy}); 0 when not in blobs. */
            public double blobOccupancy() {
                return inBlobs() && frameBytes > 0 ? BlobPacking.occupancy(frameBytes) : 0;
            }
        }

        /** Nothing was sent: {@code why} says what the poster is waiting for. */
        record Waiting(String why) implements Outcome {
        }

        /** A transaction is out but has no receipt yet; the journal keeps it. */
        record Pending(String txHash, long firstHeight, long lastHeight) implements Outcome {
        }
    }

    /** Where a crash may strike between signing and the receipt; tests inject failures here. */
    public enum Stage { JOURNALED, SENT, AWAITING_RECEIPT }

    @FunctionalInterface
    public interface StageHook {
        void reached(Stage stage, InFlight tx);
    }

    private final Config config;
    private final InboxL1 l1;
    private final LightClientReader lightClient;
    private final BlockCollector collector;
    private final BatchVerifier verifier;
    private final AnchorRoots roots;
    private final BatchSubmitter submitter;
    private final TreeMap<Long, BatchContent.Block> collected = new TreeMap<>();

    private BatchPoster(Config config, Credentials credentials, AccountSender sender) {
        this.config = config;
        this.l1 = new InboxL1(config.rpcUrl(), config.inboxAddress(), config.maxRpcAttempts())
                .forAccount(credentials.getAddress());
        this.lightClient = LightClientPoster.openReader(config.rpcUrl(), config.lightClientAddress(), config.maxRpcAttempts());
        long hotShotChainId = lightClient.hotShotChainId();
        this.collector = new BlockCollector(config.nodes().stream().map(NodeFollower::new).toList(), hotShotChainId,
                config.scopeNamespace());
        this.verifier = new BatchVerifier(hotShotChainId);
        this.roots = BatchReader.anchorRoots(lightClient, l1, config.lightClientAddress());
        this.submitter = new BatchSubmitter(config, credentials, l1, sender);
    }

    /** A poster sending through the process-wide {@link AccountSender} of the account. */
    public static BatchPoster connect(Config config, Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        return connect(config, credentials, AccountSender.of(credentials.getAddress()));
    }

    /** A poster sending through {@code sender}: hand the light-client poster of this key the same one. */
    public static BatchPoster connect(Config config, Credentials credentials, AccountSender sender) {
        Objects.requireNonNull(credentials, "credentials");
        if (!sender.isFor(credentials.getAddress())) {
            throw new IllegalArgumentException("the sender is for " + sender.address() + ", the key is "
                    + credentials.getAddress());
        }
        return new BatchPoster(config, credentials, sender);
    }

    /** Installs a hook called at each {@link Stage} (a test makes it throw to simulate a crash there). */
    public BatchPoster onStage(StageHook h) {
        submitter.onStage(Objects.requireNonNull(h));
        return this;
    }

    public Outcome step() {
        Optional<InFlight> inFlight = submitter.journaled();
        if (inFlight.isPresent()) {
            Optional<Outcome> settled = submitter.settle(inFlight.get());
            if (settled.isPresent()) return settled.get();
        }
        long next = l1.nextHeight();
        FinalizedState certified = lightClient.finalizedState();
        if (certified.height() < next) {
            return new Outcome.Waiting("LightClient has certified up to " + certified.height() + ", next height is " + next);
        }
        long upTo = Math.min(certified.height(), next + config.maxBlocksPerBatch() - 1);
        collected.headMap(next).clear();
        collected.tailMap(upTo, false).clear();
        for (long h = next; h <= upTo; h++) {
            if (!collected.containsKey(h)) collected.put(h, collector.collect(h, certified.height(), certified.blockCommRoot()));
        }
        List<BatchContent.Block> blocks = new ArrayList<>(collected.subMap(next, true, upTo, true).values());
        // Nitro's rule: a backlog gets the fast level, a caught-up poster spends time on ratio.
        int level = certified.height() > upTo ? 3 : 9;
        BatchCut.Result cut = BatchCut.cut(next, blocks, config.frameLimitBytes(), level);
        byte[] frame = cut.frame();
        int count = cut.blocks();
        if (cut instanceof BatchCut.Result.Fits && blocks.size() < config.maxBlocksPerBatch()) {
            long ageMs = System.currentTimeMillis() - BlockWitness.decode(blocks.getFirst().witness()).header().timestampMs();
            if (ageMs < config.maxAgeMs()) {
                return new Outcome.Waiting("batch " + next + ".." + upTo + " is " + frame.length + " bytes and " + ageMs
                        + " ms old");
            }
        }
        long last = next + count - 1;
        // The reader's own checks, on the bytes about to go out: a frame that would not verify never leaves.
        verifier.verify(BatchFrame.decode(frame, BatchFrame.MAX_PLAIN_BYTES), roots);
        return submitter.post(next, last, frame);
    }

    /** Steps until {@code stop} holds, {@code pollIntervalMs} apart; failures are logged and retried. */
    public int run(long pollIntervalMs, BooleanSupplier stop) {
        int posted = 0;
        while (!stop.getAsBoolean()) {
            try {
                Outcome o = step();
                switch (o) {
                    case Outcome.Posted p -> {
                        posted++;
                        LOG.info("posted batch {}..{} ({} bytes, {}) in {} at L1 block {}, {} gas", p.firstHeight(),
                                p.lastHeight(), p.frameBytes(), p.codec(), p.txHash(), p.l1Block(), p.gasUsed());
                        continue;
                    }
                    case Outcome.Pending p -> LOG.info("batch {}..{} pending in {}", p.firstHeight(), p.lastHeight(), p.txHash());
                    case Outcome.Waiting w -> LOG.debug("waiting: {}", w.why());
                }
            } catch (RuntimeException e) {
                LOG.warn("batch posting failed: {}", e.getMessage());
            }
            if (!sleep(pollIntervalMs)) break;
        }
        return posted;
    }

    static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        lightClient.close();
        l1.close();
    }

    /** A batch the poster will not or could not get recorded; the message names the inbox's reason. */
    public static final class BatchPostException extends RuntimeException {
        public BatchPostException(String message) {
            super(message);
        }
    }
}
