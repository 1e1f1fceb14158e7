package dev.cortado.settlement.batch;

import dev.cortado.settlement.batch.codec.BatchDecodeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A frame in EIP-4844 blobs: {@code u32 frameLength ‖ frame}, cut into 31-byte pieces, each the low
 * 31 bytes of one 32-byte field element whose top byte is zero (so every element is below the BLS
 * modulus), 4096 elements per blob, zero-padded. Unpacking refuses a non-zero top byte, a length
 * beyond the blobs' capacity and non-zero padding, so one blob content has exactly one reading.
 */
public final class BlobPacking {
    public static final int BLOB_BYTES = 131_072;
    public static final int ELEMENTS = 4096;
    public static final int PAYLOAD_PER_ELEMENT = 31;
    /** Usable bytes per blob. */
    public static final int CAPACITY = ELEMENTS * PAYLOAD_PER_ELEMENT;
    public static final int MAX_BLOBS = 9;

    private BlobPacking() {}

    /** How many blobs a frame of {@code frameBytes} needs. */
    public static int blobsFor(int frameBytes) {
        return (4 + frameBytes + CAPACITY - 1) / CAPACITY;
    }

    /**
     * The share of the blobs' bytes a frame of {@code frameBytes} uses: its length prefix and bytes
     * over {@code blobs × 131,072}. The 32nd byte of every field element is counted as unused, so a
     * full blob reaches 31/32 ≈ 0.969 at most.
     */
    public static double occupancy(int frameBytes) {
        return (4.0 + frameBytes) / ((double) blobsFor(frameBytes) * BLOB_BYTES);
    }

    /** The longest frame that fits in {@code blobs} blobs. */
    public static int frameCapacity(int blobs) {
        if (blobs < 1 || blobs > MAX_BLOBS) throw new IllegalArgumentException("blobs must be 1.." + MAX_BLOBS + ", got " + blobs);
        return blobs * CAPACITY - 4;
    }

    public static List<byte[]> pack(byte[] frame) {
        int count = blobsFor(frame.length);
        if (count > MAX_BLOBS) {
            throw new IllegalArgumentException("a frame of " + frame.length + " bytes needs " + count + " blobs, at most "
                    + MAX_BLOBS + " fit a transaction");
        }
        byte[] stream = new byte[count * CAPACITY];
        stream[0] = (byte) (frame.length >>> 24);
        stream[1] = (byte) (frame.length >>> 16);
        stream[2] = (byte) (frame.length >>> 8);
        stream[3] = (byte) frame.length;
        System.arraycopy(frame, 0, stream, 4, frame.length);
        List<byte[]> blobs = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            byte[] blob = new byte[BLOB_BYTES];
            for (int e = 0; e < ELEMENTS; e++) {
                System.arraycopy(stream, b * CAPACITY + e * PAYLOAD_PER_ELEMENT, blob, e * 32 + 1, PAYLOAD_PER_ELEMENT);
            }
            blobs.add(blob);
        }
        return blobs;
    }

    public static byte[] unpack(List<byte[]> blobs) {
        if (blobs.isEmpty() || blobs.size() > MAX_BLOBS) throw new BatchDecodeException(blobs.size() + " blobs");
        byte[] stream = new byte[blobs.size() * CAPACITY];
        for (int b = 0; b < blobs.size(); b++) {
            byte[] blob = blobs.get(b);
            if (blob.length != BLOB_BYTES) throw new BatchDecodeException("blob " + b + " has " + blob.length + " bytes");
            for (int e = 0; e < ELEMENTS; e++) {
                if (blob[e * 32] != 0) {
                    throw new BatchDecodeException("blob " + b + " element " + e + " has a non-zero top byte");
                }
                System.arraycopy(blob, e * 32 + 1, stream, b * CAPACITY + e * PAYLOAD_PER_ELEMENT, PAYLOAD_PER_ELEMENT);
            }
        }
        long len = ((stream[0] & 0xFFL) << 24) | ((stream[1] & 0xFF) << 16) | ((stream[2] & 0xFF) << 8) | (stream[3] & 0xFF);
        if (len > stream.length - 4 || blobsFor((int) len) != blobs.size()) {
            throw new BatchDecodeException("blobs declare a frame of " + len + " bytes in " + blobs.size() + " blobs");
        }
        for (int i = 4 + (int) len; i < stream.length; i++) {
            if (stream[i] != 0) throw new BatchDecodeException("non-zero padding after the frame at stream offset " + i);
        }
        return java.util.Arrays.copyOfRange(stream, 4, 4 + (int) len);
    }
}
