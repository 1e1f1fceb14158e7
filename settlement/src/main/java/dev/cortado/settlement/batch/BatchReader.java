package dev.cortado.settlement.batch;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.batch.BatchVerifier.AnchorRoots;
import dev.cortado.settlement.batch.BatchVerifier.BatchVerificationException;
import dev.cortado.settlement.batch.BatchVerifier.VerifiedBatch;
import dev.cortado.settlement.batch.InboxL1.CalldataBatch;
import dev.cortado.settlement.batch.InboxL1.PostedBatch;
import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchDecodeException;
import dev.cortado.settlement.batch.codec.BatchFrame;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.LightClientReader;
import dev.cortado.settlement.lightclient.LightClientReader.CommitmentLookup;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds a namespace's transactions from L1 alone: BatchInbox's {@code BatchPosted} events and
 * records, the batch bytes in the posting transactions' calldata, and LightClient's certified roots.
 * Each batch is checked end to end (record hash, data hash, frame, every header and namespace
 * proof); the first one that fails is refused with its reason. A library call for rollups as well as
 * the engine of {@code cortado batches}.
 */
public final class BatchReader implements AutoCloseable {

    /** One transaction of the rebuilt history. */
    public record Tx(long height, int index, byte[] payload) {
    }

    /** The namespace's transactions at heights {@code fromHeight..toHeight} (toHeight is -1 when nothing is posted). */
    public record History(long namespace, long fromHeight, long toHeight, int batchesRead, List<Tx> transactions) {
    }

    /** Why a posted batch was refused: {@code reason} names the failed check. */
    public static final class BatchRejectedException extends RuntimeException {
        private final String reason;

        public BatchRejectedException(long batchIndex, String txHash, String reason, String detail) {
            super("batch " + batchIndex + " (tx " + txHash + ") refused: " + reason + ": " + detail);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final InboxL1 l1;
    private final LightClientReader lightClient;
    private final BatchVerifier verifier;
    private final AnchorRoots roots;
    private final BlobSource blobs;

    /** A reader that asks the L1 node itself for blobs (Anvil's {@code anvil_getBlobByHash}). */
    public BatchReader(String rpcUrl, String inboxAddress, String lightClientAddress, int maxRpcAttempts) {
        this(rpcUrl, inboxAddress, lightClientAddress, maxRpcAttempts, null);
    }

    /**
     * A reader that gets blobs from a beacon node's API (the way a rollup on a real L1 reads them).
     *
     * @param beacon the beacon API base URL, or null for the L1 node's own route
     */
    public BatchReader(String rpcUrl, String inboxAddress, String lightClientAddress, int maxRpcAttempts, URI beacon,
            BeaconBlobSource.BlockId beaconBlockId) {
        this(rpcUrl, inboxAddress, lightClientAddress, maxRpcAttempts, beacon == null ? null
                : l1 -> new BeaconBlobSource(beacon, beaconBlockId, l1::blockTimestamp, java.time.Duration.ofSeconds(30)));
    }

    private BatchReader(String rpcUrl, String inboxAddress, String lightClientAddress, int maxRpcAttempts,
            java.util.function.Function<InboxL1, BlobSource> blobSource) {
        this.l1 = new InboxL1(rpcUrl, inboxAddress, maxRpcAttempts);
        this.lightClient = LightClientPoster.openReader(rpcUrl, lightClientAddress, maxRpcAttempts);
        this.verifier = new BatchVerifier(lightClient.hotShotChainId());
        this.roots = anchorRoots(lightClient, l1, lightClientAddress);
        this.blobs = blobSource == null ? new RpcBlobs(l1) : blobSource.apply(l1);
    }

    /** The L1 node's own blob route, one blob per versioned hash. */
    private record RpcBlobs(InboxL1 l1) implements BlobSource {
        @Override
        public List<byte[]> blobs(long l1Block, List<Bytes32> versionedHashes) {
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < versionedHashes.size(); i++) {
                Bytes32 h = versionedHashes.get(i);
                int index = i;
                byte[] blob = l1.blob(h).orElseThrow(() -> new BlobUnavailableException("the L1 node does not serve blob "
                        + index + " (" + h + "): pruned or never sidecar-stored"));
                out.add(BlobSource.checked(blob, h, i));
            }
            return out;
        }

        @Override
        public void close() {
            // The reader closes the L1 connection.
        }
    }

    /**
     * Certified roots as L1 holds them: the retained state of exactly that height, else the root its
     * {@code StateFinalized} event carried (older states leave the contract's ring but not the log).
     */
    static AnchorRoots anchorRoots(LightClientReader lc, InboxL1 l1, String lightClientAddress) {
        return height -> {
            if (lc.getHotShotCommitment(height) instanceof CommitmentLookup.Covered c && c.certifiedHeight() == height) {
                return Optional.of(c.blockCommRoot());
            }
            return l1.finalizedRootFromLogs(lightClientAddress, height);
        };
    }

    /** The namespace's transactions at heights {@code fromHeight..toHeight}, clipped to what is posted. */
    public History rebuild(long namespace, long fromHeight, long toHeight) {
        if (namespace < 0 || fromHeight < 0 || toHeight < fromHeight) {
            throw new IllegalArgumentException("namespace " + namespace + ", heights " + fromHeight + ".." + toHeight);
        }
        List<PostedBatch> batches = new ArrayList<>(l1.postedBatches(0));
        batches.sort(Comparator.comparingLong(PostedBatch::batchIndex));
        List<Tx> out = new ArrayList<>();
        long lastCovered = -1;
        int read = 0;
        for (int i = 0; i < batches.size(); i++) {
            PostedBatch b = batches.get(i);
            if (b.batchIndex() != i) {
                throw new BatchRejectedException(b.batchIndex(), b.txHash(), "EVENTS", "expected batch index " + i);
            }
            if (i > 0 && b.firstHeight() != batches.get(i - 1).lastHeight() + 1) {
                throw new BatchRejectedException(b.batchIndex(), b.txHash(), "EVENTS", "starts at " + b.firstHeight()
                        + " after a batch ending at " + batches.get(i - 1).lastHeight());
            }
            lastCovered = b.lastHeight();
            if (b.lastHeight() < fromHeight || b.firstHeight() > toHeight) continue;
            VerifiedBatch v = readBatch(b);
            read++;
            for (long h = Math.max(fromHeight, b.firstHeight()); h <= Math.min(toHeight, b.lastHeight()); h++) {
                List<byte[]> txs = v.transactions(namespace, h);
                for (int t = 0; t < txs.size(); t++) out.add(new Tx(h, t, txs.get(t)));
            }
        }
        long to = lastCovered < fromHeight ? -1 : Math.min(toHeight, lastCovered);
        return new History(namespace, fromHeight, to, read, out);
    }

    /** Every check of one batch, from its L1 record to the namespace proofs of every height. */
    public VerifiedBatch readBatch(PostedBatch b) {
        Bytes32 record = Abi.encoder().uint64(b.firstHeight()).uint64(b.lastHeight()).uint256(b.compressionId())
                .bytes32(b.dataHash()).hash();
        if (!l1.batchRecord(b.batchIndex()).equals(record)) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "RECORD", "the inbox's record differs from the event");
        }
        byte[] payload = b.blobCount() > 0 ? blobPayload(b) : calldataPayload(b);
        BatchContent content;
        try {
            if (BatchFrame.codecOf(payload).id() != b.compressionId()) {
                throw new BatchDecodeException("frame codec " + BatchFrame.codecOf(payload) + ", recorded id "
                        + b.compressionId());
            }
            content = BatchFrame.decode(payload, BatchFrame.MAX_PLAIN_BYTES);
        } catch (BatchDecodeException | IllegalArgumentException e) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "FRAME", e.getMessage());
        }
        if (content.firstHeight() != b.firstHeight() || content.lastHeight() != b.lastHeight()) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "FRAME", "frame covers " + content.firstHeight()
                    + ".." + content.lastHeight() + ", the inbox recorded " + b.firstHeight() + ".." + b.lastHeight());
        }
        try {
            return verifier.verify(content, roots);
        } catch (BatchVerificationException e) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), e.reason().name(), e.getMessage());
        }
    }

    private byte[] calldataPayload(PostedBatch b) {
        CalldataBatch cd = l1.calldataBatchOf(b.txHash()).orElseThrow(() -> new BatchRejectedException(b.batchIndex(),
                b.txHash(), "CALLDATA", "the transaction is not a direct postCalldataBatch call to the inbox"));
        if (cd.firstHeight() != b.firstHeight() || cd.lastHeight() != b.lastHeight() || cd.compressionId() != b.compressionId()) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "CALLDATA", "call arguments differ from the event");
        }
        if (!Keccak.hash(cd.payload()).equals(b.dataHash())) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "DATA_HASH", "keccak256(payload) is not the recorded dataHash");
        }
        return cd.payload();
    }

    /** Each blob from the blob source, accepted only when its recomputed KZG commitment gives the recorded versioned hash. */
    private byte[] blobPayload(PostedBatch b) {
        byte[] packed = new byte[32 * b.blobCount()];
        for (int i = 0; i < b.blobCount(); i++) System.arraycopy(b.blobHashes().get(i).bytes(), 0, packed, 32 * i, 32);
        if (!Keccak.hash(packed).equals(b.dataHash())) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "DATA_HASH", "keccak256(blobHashes) is not the recorded dataHash");
        }
        List<byte[]> blobs;
        try {
            blobs = this.blobs.blobs(b.l1Block(), b.blobHashes());
        } catch (BlobSource.BlobUnavailableException e) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "BLOB", e.getMessage());
        }
        if (blobs.size() != b.blobCount()) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "BLOB", blobs.size() + " blobs for " + b.blobCount()
                    + " versioned hashes");
        }
        for (int i = 0; i < blobs.size(); i++) {
            // The source checked them; checked again here, since the reader's verdict must not depend on it.
            try {
                BlobSource.checked(blobs.get(i), b.blobHashes().get(i), i);
            } catch (BlobSource.BlobUnavailableException e) {
                throw new BatchRejectedException(b.batchIndex(), b.txHash(), "BLOB", e.getMessage());
            }
        }
        try {
            return BlobPacking.unpack(blobs);
        } catch (BatchDecodeException e) {
            throw new BatchRejectedException(b.batchIndex(), b.txHash(), "FRAME", e.getMessage());
        }
    }

    /** The canonical chain's batches, in index order. */
    public List<PostedBatch> postedBatches() {
        List<PostedBatch> batches = new ArrayList<>(l1.postedBatches(0));
        batches.sort(Comparator.comparingLong(PostedBatch::batchIndex));
        return batches;
    }

    @Override
    public void close() {
        blobs.close();
        lightClient.close();
        l1.close();
    }
}
