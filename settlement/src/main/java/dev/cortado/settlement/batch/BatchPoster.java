package dev.cortado.settlement.batch;

import dev.cortado.lightclient.NodeFollower;
import dev.cortado.settlement.batch.BatchVerifier.AnchorRoots;
import dev.cortado.settlement.batch.PostJournal.InFlight;
import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchFrame;
import dev.cortado.settlement.batch.codec.CodecId;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.LightClientReader;
import dev.cortado.settlement.lightclient.LightClientReader.FinalizedState;
import dev.cortado.settlement.port.L1Client.L1Exception;
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
 * Not thread-safe: one poster per account.
 */
public final class BatchPoster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPoster.class);
    private static final long GAS_HEADROOM_PERCENT = 20;

    /**
     * @param scopeNamespace {@link BlockWitness#ALL_NAMESPACES} or the one namespace to post
     * @param targetFrameBytes a batch closes once its frame would exceed this (calldata: below the 128 KiB tx limit)
     * @param maxAgeMs a batch closes once its first block is this old, whatever its size
     * @param maxBlocksPerBatch at most this many heights per batch (bounds memory and proving work)
     * @param maxFeePerGasWei the poster never offers more per gas or per blob gas; above it, it waits
     * @param carrier calldata, blobs, or per batch whichever is cheaper at the current fees
     * @param bumpAfterMs a transaction still unmined this long after signing is replaced with raised fees
     *     (sooner when the base fee has passed its fee cap, so it cannot be mined at all)
     */
    public record Config(String rpcUrl, String inboxAddress, String lightClientAddress, List<URI> nodes,
            long scopeNamespace, int targetFrameBytes, long maxAgeMs, int maxBlocksPerBatch, BigInteger maxFeePerGasWei,
            Path journalFile, int maxRpcAttempts, long receiptPollMs, long receiptTimeoutMs, Carrier carrier,
            long bumpAfterMs) {
        /** Four mainnet slots: a transaction left out of that many blocks is underpriced, not unlucky. */
        public static final long DEFAULT_BUMP_AFTER_MS = 48_000;

        public Config(String rpcUrl, String inboxAddress, String lightClientAddress, List<URI> nodes, long scopeNamespace,
                int targetFrameBytes, long maxAgeMs, int maxBlocksPerBatch, BigInteger maxFeePerGasWei, Path journalFile,
                int maxRpcAttempts, long receiptPollMs, long receiptTimeoutMs, Carrier carrier) {
            this(rpcUrl, inboxAddress, lightClientAddress, nodes, scopeNamespace, targetFrameBytes, maxAgeMs,
                    maxBlocksPerBatch, maxFeePerGasWei, journalFile, maxRpcAttempts, receiptPollMs, receiptTimeoutMs, carrier,
                    DEFAULT_BUMP_AFTER_MS);
        }

        public Config withBumpAfterMs(long ms) {
            return new Config(rpcUrl, inboxAddress, lightClientAddress, nodes, scopeNamespace, targetFrameBytes, maxAgeMs,
                    maxBlocksPerBatch, maxFeePerGasWei, journalFile, maxRpcAttempts, receiptPollMs, receiptTimeoutMs, carrier, ms);
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
    private final Credentials credentials;
    private final InboxL1 l1;
    private final LightClientReader lightClient;
    private final BlockCollector collector;
    private final BatchVerifier verifier;
    private final AnchorRoots roots;
    private final PostJournal journal;
    private final long l1ChainId;
    private final TreeMap<Long, BatchContent.Block> collected = new TreeMap<>();
    private StageHook hook = (s, t) -> { };

    private BatchPoster(Config config, Credentials credentials) {
        this.config = config;
        this.credentials = credentials;
        this.l1 = new InboxL1(config.rpcUrl(), config.inboxAddress(), config.maxRpcAttempts())
                .forAccount(credentials.getAddress());
        this.lightClient = LightClientPoster.openReader(config.rpcUrl(), config.lightClientAddress(), config.maxRpcAttempts());
        long hotShotChainId = lightClient.hotShotChainId();
        this.collector = new BlockCollector(config.nodes().stream().map(NodeFollower::new).toList(), hotShotChainId,
                config.scopeNamespace());
        this.verifier = new BatchVerifier(hotShotChainId);
        this.roots = BatchReader.anchorRoots(lightClient, l1, config.lightClientAddress());
        this.journal = new PostJournal(config.journalFile());
        this.l1ChainId = l1.chainId();
    }

    public static BatchPoster connect(Config config, Credentials credentials) {
        return new BatchPoster(config, Objects.requireNonNull(credentials, "credentials"));
    }

    /** Installs a hook called at each {@link Stage} (a test makes it throw to simulate a crash there). */
    public BatchPoster onStage(StageHook h) {
        this.hook = Objects.requireNonNull(h);
        return this;
    }

    public Outcome step() {
        Optional<InFlight> inFlight = journal.read();
        if (inFlight.isPresent()) {
            Optional<Outcome> settled = settle(inFlight.get());
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
        byte[] frame = frame(next, blocks, blocks.size(), level);
        int count = blocks.size();
        if (frame.length > config.targetFrameBytes()) {
            count = longestPrefixThatFits(next, blocks, level);
            frame = frame(next, blocks, count, level);
        } else if (blocks.size() < config.maxBlocksPerBatch()) {
            long ageMs = System.currentTimeMillis() - BlockWitness.decode(blocks.getFirst().witness()).header().timestampMs();
            if (ageMs < config.maxAgeMs()) {
                return new Outcome.Waiting("batch " + next + ".." + upTo + " is " + frame.length + " bytes and " + ageMs
                        + " ms old");
            }
        }
        long last = next + count - 1;
        // The reader's own checks, on the bytes about to go out: a frame that would not verify never leaves.
        verifier.verify(BatchFrame.decode(frame, BatchFrame.MAX_PLAIN_BYTES), roots);
        return post(next, last, frame);
    }

    private static byte[] frame(long first, List<BatchContent.Block> blocks, int count, int level) {
        BatchContent c = new BatchContent(first, first + count - 1, blocks.subList(0, count));
        return BatchFrame.encode(c, CodecId.ETH_COLUMNS, level);
    }

    /** Bisection on the block count; one block always goes, however large (the inbox takes any size). */
    private int longestPrefixThatFits(long first, List<BatchContent.Block> blocks, int level) {
        int lo = 1;
        int hi = blocks.size();
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (frame(first, blocks, mid, level).length <= config.targetFrameBytes()) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    private Outcome post(long first, long last, byte[] frame) {
        String from = credentials.getAddress();
        int codec = CodecId.ETH_COLUMNS.id();
        String calldata = InboxL1.calldataBatchCall(first, last, codec, frame);
        // The calldata form is simulated whatever the carrier: it checks the range against the inbox for free.
        Optional<String> revert = l1.simulate(from, calldata);
        if (revert.isPresent()) {
            throw new BatchPostException("postCalldataBatch(" + first + ".." + last + ") would revert: " + revert.get());
        }
        InboxL1.Fees fees = l1.fees();
        BigInteger gasPrice = fees.baseFeeWei().add(fees.tipWei());
        if (gasPrice.compareTo(config.maxFeePerGasWei()) > 0) {
            return new Outcome.Waiting("base fee " + fees.baseFeeWei() + " + tip " + fees.tipWei() + " wei is above the cap "
                    + config.maxFeePerGasWei());
        }
        BigInteger maxFee = fees.baseFeeWei().multiply(BigInteger.TWO).add(fees.tipWei()).min(config.maxFeePerGasWei());
        BigInteger estimate = l1.estimateGas(from, calldata);
        byte[] callBytes = org.web3j.utils.Numeric.hexStringToByteArray(calldata);
        long execution = Math.max(0, estimate.longValueExact() - PostCost.calldataGas(callBytes, 0));
        BigInteger blobFee = config.carrier() == Carrier.CALLDATA ? BigInteger.ZERO : l1.blobBaseFee();
        PostCost.Choice price = PostCost.choose(callBytes, execution, frame.length, gasPrice, blobFee);
        boolean blobs = switch (config.carrier()) {
            case CALLDATA -> false;
            case BLOBS -> true;
            case CHEAPEST -> price.mode() == PostCost.Mode.BLOBS;
        };
        if (blobs && blobFee.compareTo(config.maxFeePerGasWei()) > 0) {
            return new Outcome.Waiting("blob base fee " + blobFee + " wei is above the cap " + config.maxFeePerGasWei());
        }
        PostCost.Choice chosen = new PostCost.Choice(blobs ? PostCost.Mode.BLOBS : PostCost.Mode.CALLDATA,
                price.calldataWei(), price.blobWei(), price.blobs());
        long nonce = l1.nonce(true);
        InboxL1.Signed signed;
        if (blobs) {
            List<byte[]> packed = BlobPacking.pack(frame);
            // Twice the current blob fee (at least 1 gwei): room for the fee to rise while the transaction waits.
            BigInteger maxBlobFee = blobFee.multiply(BigInteger.TWO).max(BigInteger.TEN.pow(9)).min(config.maxFeePerGasWei());
            signed = l1.signBlobs(credentials, l1ChainId, nonce, BigInteger.valueOf(PostCost.BLOB_CALL_GAS_LIMIT),
                    InboxL1.blobBatchCall(first, last, codec, packed.size()), fees.tipWei(), maxFee, maxBlobFee, packed);
        } else {
            BigInteger gas = estimate.multiply(BigInteger.valueOf(100 + GAS_HEADROOM_PERCENT)).divide(BigInteger.valueOf(100));
            signed = l1.sign(credentials, l1ChainId, nonce, gas, calldata, fees.tipWei(), maxFee);
        }
        InFlight tx = new InFlight(signed.txHash(), nonce, first, last, signed.rawTx(), System.currentTimeMillis());
        journal.write(tx);
        hook.reached(Stage.JOURNALED, tx);
        Optional<String> refused = l1.sendRaw(signed.rawTx());
        if (refused.isPresent() && !l1.known(tx.txHash())) {
            journal.clear();
            throw new L1Exception("eth_sendRawTransaction refused batch " + first + ".." + last + ": " + refused.get(), null);
        }
        hook.reached(Stage.SENT, tx);
        return await(tx, frame.length, maxFee, false, chosen, null);
    }

    /**
     * A journaled transaction from before: mined (done, either way), displaced (its nonce went to
     * another transaction), or still the right next batch and re-sent byte for byte.
     */
    private Optional<Outcome> settle(InFlight tx) {
        Optional<InboxL1.Receipt> r = l1.receipt(tx.txHash());
        if (r.isPresent()) {
            journal.clear();
            if (r.get().success()) {
                LOG.info("journaled batch {}..{} was mined in {} (block {})", tx.firstHeight(), tx.lastHeight(), tx.txHash(),
                        r.get().l1Block());
            } else {
                LOG.warn("journaled batch {}..{} reverted in {}", tx.firstHeight(), tx.lastHeight(), tx.txHash());
            }
            return Optional.empty();
        }
        if (l1.nonce(false) > tx.nonce()) {
            journal.clear();
            LOG.warn("journaled batch {}..{}: nonce {} went to another transaction", tx.firstHeight(), tx.lastHeight(), tx.nonce());
            return Optional.empty();
        }
        if (tx.firstHeight() != l1.nextHeight()) {
            if (l1.known(tx.txHash())) {
                // It can only revert now (the inbox refuses the overlap); let it, rather than race its nonce.
                return Optional.of(await(tx, 0, BigInteger.ZERO, true, null, null));
            }
            journal.clear();
            return Optional.empty();
        }
        // Due whether or not the L1 still holds it: a mempool may drop what no block will take at this price.
        if (bumpDue(tx)) return Optional.of(bump(tx));
        Optional<String> refused = l1.sendRaw(tx.rawTx());
        if (refused.isPresent() && !l1.known(tx.txHash())) {
            journal.clear();
            LOG.warn("journaled batch {}..{} no longer sendable: {}", tx.firstHeight(), tx.lastHeight(), refused.get());
            return Optional.empty();
        }
        return Optional.of(await(tx, 0, BigInteger.ZERO, true, null, null));
    }

    /** Pending for {@code bumpAfterMs}, or priced out of every block by a base fee above its fee cap. */
    private boolean bumpDue(InFlight tx) {
        if (System.currentTimeMillis() - tx.signedAtMs() >= config.bumpAfterMs()) return true;
        return l1.fees().baseFeeWei().compareTo(SignedBatchTx.decode(tx.rawTx()).maxFeeWei()) > 0;
    }

    /**
     * Signs the same call (same nonce, gas limit, data and blobs) with raised fees and replaces the
     * stuck transaction. The journal holds the replacement before it is sent; if the L1 refuses it,
     * the journal goes back to the old one, which is still the one in the mempool.
     */
    private Outcome bump(InFlight old) {
        SignedBatchTx s = SignedBatchTx.decode(old.rawTx());
        InboxL1.Fees fees = l1.fees();
        BigInteger blobBase = s.isBlob() ? l1.blobBaseFee() : BigInteger.ZERO;
        FeeBump.Result r = FeeBump.next(new FeeBump.Offer(s.tipWei(), s.maxFeeWei(), s.maxFeePerBlobGasWei()), s.isBlob(),
                fees.baseFeeWei(), fees.tipWei(), blobBase, config.maxFeePerGasWei());
        if (r instanceof FeeBump.Result.OverCap o) {
            return new Outcome.Waiting("batch " + old.firstHeight() + ".." + old.lastHeight() + " is stuck in " + old.txHash()
                    + "; a replacement needs " + o.fee() + " " + o.neededWei() + " wei, above the cap " + o.capWei());
        }
        FeeBump.Offer offer = ((FeeBump.Result.Raised) r).offer();
        InboxL1.Signed signed = s.isBlob()
                ? l1.signBlobs(credentials, s.chainId(), s.nonce(), s.gasLimit(), s.data(), offer.tipWei(), offer.maxFeeWei(),
                        offer.maxFeePerBlobGasWei(), s.blobs())
                : l1.sign(credentials, s.chainId(), s.nonce(), s.gasLimit(), s.data(), offer.tipWei(), offer.maxFeeWei());
        InFlight tx = new InFlight(signed.txHash(), old.nonce(), old.firstHeight(), old.lastHeight(), signed.rawTx(),
                System.currentTimeMillis());
        journal.write(tx);
        hook.reached(Stage.JOURNALED, tx);
        Optional<String> refused = l1.sendRaw(signed.rawTx());
        if (refused.isPresent() && !l1.known(tx.txHash())) {
            journal.write(old);
            return new Outcome.Waiting("the L1 refused the replacement of " + old.txHash() + " (tip " + offer.tipWei()
                    + ", fee cap " + offer.maxFeeWei() + ", blob fee cap " + offer.maxFeePerBlobGasWei() + " wei): "
                    + refused.get());
        }
        LOG.info("batch {}..{}: replaced stuck {} by {} (nonce {}, tip {}, fee cap {}, blob fee cap {} wei)",
                old.firstHeight(), old.lastHeight(), old.txHash(), tx.txHash(), tx.nonce(), offer.tipWei(), offer.maxFeeWei(),
                offer.maxFeePerBlobGasWei());
        hook.reached(Stage.SENT, tx);
        return await(tx, 0, offer.maxFeeWei(), true, null, old.txHash());
    }

    private Outcome await(InFlight tx, int frameBytes, BigInteger maxFee, boolean resent, PostCost.Choice price,
            String replaced) {
        long deadline = System.nanoTime() + config.receiptTimeoutMs() * 1_000_000;
        hook.reached(Stage.AWAITING_RECEIPT, tx);
        while (true) {
            Optional<InboxL1.Receipt> r = l1.receipt(tx.txHash());
            if (r.isPresent()) {
                journal.clear();
                if (!r.get().success()) {
                    String data = InboxL1.inputOf(tx.rawTx());
                    throw new BatchPostException("batch " + tx.firstHeight() + ".." + tx.lastHeight() + " reverted in "
                            + tx.txHash() + ": " + l1.revertAt(credentials.getAddress(), data, r.get().l1Block()));
                }
                return new Outcome.Posted(tx.firstHeight(), tx.lastHeight(), frameBytes, CodecId.ETH_COLUMNS, tx.txHash(),
                        r.get().l1Block(), r.get().gasUsed(), maxFee, resent, price, replaced);
            }
            if (System.nanoTime() > deadline) return new Outcome.Pending(tx.txHash(), tx.firstHeight(), tx.lastHeight());
            if (!sleep(config.receiptPollMs())) return new Outcome.Pending(tx.txHash(), tx.firstHeight(), tx.lastHeight());
        }
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

    private static boolean sleep(long ms) {
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
