package dev.cortado.settlement.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.settlement.batch.codec.BatchDecodeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlobPackingAndCostTest {

    @Test
    void framesRoundTripThroughBlobsAtEveryBoundary() {
        Random rnd = new Random(1);
        for (int len : new int[] {1, 30, 31, 1000, BlobPacking.CAPACITY - 4, BlobPacking.CAPACITY - 3, 3 * BlobPacking.CAPACITY}) {
            byte[] frame = new byte[len];
            rnd.nextBytes(frame);
            List<byte[]> blobs = BlobPacking.pack(frame);
            assertEquals(BlobPacking.blobsFor(len), blobs.size());
            blobs.forEach(b -> assertEquals(BlobPacking.BLOB_BYTES, b.length));
            assertArrayEquals(frame, BlobPacking.unpack(blobs), "length " + len);
        }
        assertEquals(1, BlobPacking.blobsFor(BlobPacking.CAPACITY - 4));
        assertEquals(2, BlobPacking.blobsFor(BlobPacking.CAPACITY - 3));
    }

    @Test
    void unpackingRefusesEveryNonCanonicalBlob() {
        List<byte[]> blobs = BlobPacking.pack(new byte[] {1, 2, 3});
        byte[] top = blobs.get(0).clone();
        top[32 * 7] = 1;
        assertTrue(assertThrows(BatchDecodeException.class, () -> BlobPacking.unpack(List.of(top))).getMessage()
                .contains("element 7 has a non-zero top byte"));
        byte[] pad = blobs.get(0).clone();
        pad[32 * 100 + 5] = 1;
        assertTrue(assertThrows(BatchDecodeException.class, () -> BlobPacking.unpack(List.of(pad))).getMessage()
                .contains("non-zero padding"));
        byte[] len = blobs.get(0).clone();
        len[1] = 0x7F;
        assertTrue(assertThrows(BatchDecodeException.class, () -> BlobPacking.unpack(List.of(len))).getMessage()
                .contains("blobs declare a frame of"));
        List<byte[]> extra = new ArrayList<>(blobs);
        extra.add(new byte[BlobPacking.BLOB_BYTES]);
        assertThrows(BatchDecodeException.class, () -> BlobPacking.unpack(extra));
        assertThrows(IllegalArgumentException.class, () -> BlobPacking.pack(new byte[9 * BlobPacking.CAPACITY]));
    }

    @Test
    void theEip7623FloorAppliesToDataHeavyCalls() {
        byte[] data = new byte[1000];
        java.util.Arrays.fill(data, (byte) 7);
        // 4000 tokens: standard 21000 + 16000 + 5000 = 42000, floor 21000 + 40000 = 61000.
        assertEquals(61_000, PostCost.calldataGas(data, 5_000));
        assertEquals(21_000 + 16_000 + 50_000, PostCost.calldataGas(data, 50_000));
        assertEquals(21_000 + 10_000, PostCost.calldataGas(new byte[1000], 0));
    }

    @Test
    void blobsWinAtATypicalPriceAndCalldataWinsWhenTheBlobFeeRises() {
        byte[] call = new byte[100_000];
        new Random(2).nextBytes(call);
        BigInteger gwei = BigInteger.TEN.pow(9);
        PostCost.Choice cheap = PostCost.choose(call, 50_000, call.length, gwei, BigInteger.ONE);
        assertEquals(PostCost.Mode.BLOBS, cheap.mode());
        assertEquals(1, cheap.blobs());
        PostCost.Choice dear = PostCost.choose(call, 50_000, call.length, gwei, gwei.multiply(BigInteger.valueOf(100)));
        assertEquals(PostCost.Mode.CALLDATA, dear.mode());
        assertTrue(dear.calldataWei().compareTo(dear.blobWei()) < 0);
    }
}
