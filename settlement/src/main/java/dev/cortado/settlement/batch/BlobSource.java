package dev.cortado.settlement.batch;

import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/**
 * Where a reader gets a blob batch's blobs: the L1 node itself (Anvil's {@code anvil_getBlobByHash})
 * or a beacon node ({@link BeaconBlobSource}). Whatever the source, every blob handed back has been
 * checked against its versioned hash (the KZG commitment recomputed from the blob).
 */
public interface BlobSource extends AutoCloseable {

    /**
     * The blobs named by {@code versionedHashes}, in that order, of the blob transaction mined in L1
     * block {@code l1Block}.
     *
     * @throws BlobUnavailableException when a blob cannot be had or does not match its hash
     */
    List<byte[]> blobs(long l1Block, List<Bytes32> versionedHashes);

    @Override
    void close();

    /** A blob the source could not supply, or supplied wrong; the message says which and why. */
    final class BlobUnavailableException extends RuntimeException {
        public BlobUnavailableException(String message) {
            super(message);
        }
    }

    /** Each returned blob must be 131,072 bytes and give its versioned hash. */
    static byte[] checked(byte[] blob, Bytes32 versionedHash, int index) {
        if (blob.length != BlobPacking.BLOB_BYTES) {
            throw new BlobUnavailableException("blob " + index + " has " + blob.length + " bytes, not " + BlobPacking.BLOB_BYTES);
        }
        if (!InboxL1.versionedHash(blob).equals(versionedHash)) {
            throw new BlobUnavailableException("blob " + index + " does not match its versioned hash " + versionedHash);
        }
        return blob;
    }
}
