package dev.cortado.settlement.batch.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Hostile frames: mutated, truncated, extended and forged ones either decode (to no more than the
 * declared size) or fail with {@link BatchDecodeException}; nothing else escapes, and bombs are refused.
 */
class BatchDecoderFuzzTest {

    private static byte[] mutate(byte[] frame, Random rnd) {
        byte[] f = frame.clone();
        if (f.length == 0) {
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        switch (rnd.nextInt(4)) {
            case 0 -> {
                for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                    f[rnd.nextInt(f.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> f = Arrays.copyOf(f, rnd.nextInt(f.length));
            case 2 -> {
                f = Arrays.copyOf(f, f.length + 1 + rnd.nextInt(16));
                f[f.length - 1] = (byte) rnd.nextInt(256);
            }
            default -> {
                int at = 2 + rnd.nextInt(Math.max(1, f.length - 2));
                if (at < f.length) {
                    f[at] = (byte) rnd.nextInt(256);
                }
            }
        }
        return f;
    }

    @Property(tries = 4000)
    void mutatedFramesDecodeOrFailCleanly(@ForAll long seed) {
        Random rnd = new Random(seed);
        BatchContent batch = BatchCodecPropertyTest.randomBatch(new TxGen(seed), true);
        CodecId codec = CodecId.values()[rnd.nextInt(CodecId.values().length)];
        // Level 0 stores the columns, so mutations reach the column decoder instead of failing in zstd.
        int level = codec == CodecId.ETH_COLUMNS && rnd.nextInt(4) != 0 ? 0 : 1;
        byte[] frame = mutate(BatchFrame.encode(batch, codec, level), rnd);
        try {
            BatchContent got = BatchFrame.decode(frame, BatchFrame.MAX_PLAIN_BYTES);
            long declared = frame.length >= 6 ? ((frame[2] & 0xFFL) << 24 | (frame[3] & 0xFF) << 16 | (frame[4] & 0xFF) << 8 | (frame[5] & 0xFF)) : 0;
            assertTrue(got.toPlain().length <= declared || codec == CodecId.NONE, "decoded past the declared size");
        } catch (BatchDecodeException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        }
    }

    /** Mutations aimed at one column at a time, so even the small columns (indexes, codes) are hit. */
    @Property(tries = 4000)
    void mutatedColumnsDecodeOrFailCleanly(@ForAll long seed) {
        Random rnd = new Random(seed);
        BatchContent batch = BatchCodecPropertyTest.randomBatch(new TxGen(seed), rnd.nextBoolean());
        int plainLength = batch.toPlain().length;
        EthColumnsEncoder enc = new EthColumnsEncoder(plainLength);
        enc.write(batch);
        byte[][] cols = new byte[Column.ALL.length][];
        for (Column c : Column.ALL) {
            cols[c.ordinal()] = enc.columns()[c.ordinal()].toArray();
        }
        int target = rnd.nextInt(cols.length);
        if (cols[target].length > 0) {
            cols[target] = mutate(cols[target], rnd);
        } else {
            cols[target] = new byte[] {(byte) rnd.nextInt(256)};
        }
        try {
            BatchContent got = new EthColumnsDecoder(cols, plainLength).read(batch.firstHeight(), batch.lastHeight());
            assertTrue(got.transactionBytes() <= plainLength, "decoded past the budget");
        } catch (BatchDecodeException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        }
    }

    @Test
    void aZstdBombIsRefusedAtTheDeclaredLength() {
        byte[] bomb = Zstd.compress(new byte[64 << 20], 3);
        ByteSink frame = new ByteSink(bomb.length + 6);
        frame.put(BatchFrame.VERSION);
        frame.put(CodecId.ZSTD.id());
        frame.putU32(1 << 20);
        frame.put(bomb);
        BatchDecodeException e = assertThrows(BatchDecodeException.class,
                () -> BatchFrame.decode(frame.toArray(), BatchFrame.MAX_PLAIN_BYTES));
        assertTrue(e.getMessage().contains("zstd"), e.getMessage());
    }

    @Test
    void aBrotliBombIsRefusedAtTheDeclaredLength() {
        byte[] bomb = GeneralCodecs.brotli(new byte[8 << 20], 1);
        ByteSink frame = new ByteSink(bomb.length + 6);
        frame.put(BatchFrame.VERSION);
        frame.put(CodecId.BROTLI.id());
        frame.putU32(1 << 20);
        frame.put(bomb);
        BatchDecodeException e = assertThrows(BatchDecodeException.class,
                () -> BatchFrame.decode(frame.toArray(), BatchFrame.MAX_PLAIN_BYTES));
        assertEquals("brotli output goes past the declared 1048576 bytes", e.getMessage());
    }

    @Test
    void aDeclaredSizeOverTheLimitIsRefusedBeforeDecompressing() {
        byte[] frame = BatchFrame.encode(BatchCodecPropertyTest.randomBatch(new TxGen(7), false), CodecId.ZSTD, 3);
        BatchDecodeException e = assertThrows(BatchDecodeException.class, () -> BatchFrame.decode(frame, 16));
        assertTrue(e.getMessage().endsWith("the limit is 16"), e.getMessage());
    }

    @Test
    void aColumnClaimingMoreThanTheBudgetIsRefused() {
        BatchContent batch = BatchCodecPropertyTest.randomBatch(new TxGen(3), false);
        byte[] frame = BatchFrame.encode(batch, CodecId.ETH_COLUMNS, 3);
        ByteSink forged = new ByteSink(64);
        forged.put(Arrays.copyOf(frame, 6 + 16));
        forged.put(0);
        forged.putVarint(1L << 40);
        BatchDecodeException e = assertThrows(BatchDecodeException.class,
                () -> BatchFrame.decode(forged.toArray(), BatchFrame.MAX_PLAIN_BYTES));
        assertTrue(e.getMessage().contains("column STRUCT length"), e.getMessage());
    }

    @Test
    void unknownVersionAndCodecAreNamed() {
        byte[] frame = BatchFrame.encode(BatchCodecPropertyTest.randomBatch(new TxGen(5), false), CodecId.NONE, 0);
        byte[] v1 = frame.clone();
        v1[0] = 1;
        assertEquals("batch frame version 1, expected 2",
                assertThrows(BatchDecodeException.class, () -> BatchFrame.decode(v1, 1 << 20)).getMessage());
        byte[] c9 = frame.clone();
        c9[1] = 9;
        assertEquals("unknown codec id 9",
                assertThrows(BatchDecodeException.class, () -> BatchFrame.decode(c9, 1 << 20)).getMessage());
    }
}
