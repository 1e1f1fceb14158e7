package dev.cortado.settlement.batch.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.settlement.batch.bench.RealTxCorpus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The structure the codec exploits: embedded calls, repeated slot words, per-target scalar deltas. */
class EthColumnsStructureTest {
    private static final byte[] TARGET_A = filled(20, 0xA1);
    private static final byte[] TARGET_B = filled(20, 0xB2);

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] word(long value) {
        byte[] w = new byte[32];
        for (int i = 31; value != 0; i--, value >>>= 8) {
            w[i] = (byte) value;
        }
        return w;
    }

    private static byte[] concat(byte[]... parts) {
        ByteSink out = new ByteSink(256);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.toArray();
    }

    private static byte[] minimal(long v) {
        byte[] w = word(v);
        int lead = 0;
        while (lead < 32 && w[lead] == 0) {
            lead++;
        }
        return Arrays.copyOfRange(w, lead, 32);
    }

    /** A legacy transaction; signature bytes vary with the nonce so nothing repeats by accident. */
    private static byte[] tx(byte[] to, long nonce, byte[] data) {
        byte[][] values = {minimal(nonce), minimal(1_000_000), minimal(21_000 + nonce % 7), to, new byte[0], data,
            minimal(27), filled(32, 0x40 + (int) (nonce % 64)), filled(32, 0x11 + (int) (nonce % 64))};
        return new EthTx(EthTx.LEGACY, EthTx.layout(EthTx.LEGACY), values).encode();
    }

    /** An EIP-1559 transaction to {@code to} with the given priority fee and fee cap. */
    private static byte[] feeTx(byte[] to, long nonce, long tip, long maxFee) {
        byte[][] values = {minimal(10), minimal(nonce), minimal(tip), minimal(maxFee), minimal(50_000), to, new byte[0],
            new byte[0], new byte[] {(byte) 0xC0}, new byte[0], filled(32, 0x40 + (int) nonce), filled(32, 0x11 + (int) nonce)};
        return new EthTx(2, EthTx.layout(2), values).encode();
    }

    private static EthColumnsEncoder columns(List<byte[]> txs) {
        EthColumnsEncoder enc = new EthColumnsEncoder(1 << 16);
        enc.write(RealTxCorpus.asBatch(txs, 7));
        return enc;
    }

    private static byte[][] arrays(EthColumnsEncoder enc) {
        byte[][] cols = new byte[Column.ALL.length][];
        for (Column c : Column.ALL) {
            cols[c.ordinal()] = enc.columns()[c.ordinal()].toArray();
        }
        return cols;
    }

    private static void assertRoundTrip(List<byte[]> txs) {
        BatchContent batch = RealTxCorpus.asBatch(txs, 7);
        byte[] frame = BatchFrame.encode(batch, CodecId.ETH_COLUMNS, 3);
        assertEquals(batch, BatchFrame.decode(frame, BatchFrame.MAX_PLAIN_BYTES));
    }

    /** aggregate(bytes): offset, length 4 + 32·3, then the inner call and 28 bytes of padding. */
    private static byte[] multicall(byte[] paddingLastByte) {
        byte[] inner = concat(new byte[] {0x12, 0x34, 0x56, 0x78}, concat(new byte[12], TARGET_B), word(5_000), word(77));
        return concat(new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD}, word(32), word(inner.length),
            inner, paddingLastByte);
    }

    @Test
    void anEmbeddedCallIsCodedOnItsOwnWordGrid() {
        byte[] pad = new byte[28];
        List<byte[]> txs = List.of(tx(TARGET_A, 1, multicall(pad)));
        byte[][] cols = arrays(columns(txs));
        // offset word (lead 31), length word (lead 31), nested call, then its three words: address, 5000, 77.
        assertArrayEquals(new byte[] {31, 31, EthColumnsEncoder.WORD_NESTED, EthColumnsEncoder.WORD_ADDRESS, 30, 31},
            cols[Column.WORD_CODE.ordinal()]);
        assertArrayEquals(concat(TARGET_A, TARGET_B), cols[Column.ADDR_LIT.ordinal()]);
        assertArrayEquals(new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, 0x12, 0x34, 0x56, 0x78},
            cols[Column.SEL_LIT.ordinal()]);
        assertRoundTrip(txs);
    }

    @Test
    void nonZeroPaddingIsNotNestedAndStillExact() {
        byte[] pad = new byte[28];
        pad[27] = 1;
        List<byte[]> txs = List.of(tx(TARGET_A, 1, multicall(pad)));
        byte[] codes = arrays(columns(txs))[Column.WORD_CODE.ordinal()];
        for (byte c : codes) {
            assertEquals(false, c == EthColumnsEncoder.WORD_NESTED, "nested despite padding " + Arrays.toString(codes));
        }
        assertRoundTrip(txs);
    }

    @Test
    void aWordRepeatedAtTheSameSlotCostsOneCode() {
        byte[] sel = {(byte) 0xa9, 0x05, (byte) 0x9c, (byte) 0xbb};
        byte[] amount = word(0x1234_5678_9abcL);
        List<byte[]> txs = List.of(tx(TARGET_A, 1, concat(sel, amount)), tx(TARGET_A, 2, concat(sel, amount)),
            tx(TARGET_A, 3, concat(sel, word(9), amount)));
        byte[][] cols = arrays(columns(txs));
        // the third call moves the amount to another offset, so neither of its words repeats a slot.
        assertArrayEquals(new byte[] {26, EthColumnsEncoder.WORD_SAME_SLOT, 31, 26}, cols[Column.WORD_CODE.ordinal()]);
        assertRoundTrip(txs);
    }

    @Test
    void noncesAreDeltasPerCallTarget() {
        List<byte[]> txs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            txs.add(tx(TARGET_A, 100 + i, new byte[0]));
            txs.add(tx(TARGET_B, 5_000 + i, new byte[0]));
        }
        byte[] nonces = arrays(columns(txs))[Column.NONCE.ordinal()];
        // zigzag(delta) << 1: 100 and 5000 from zero, then +1 against the same target each time.
        ByteSink expected = new ByteSink(16);
        expected.putVarint(400);
        expected.putVarint(20_000);
        for (int i = 0; i < 4; i++) {
            expected.putVarint(4);
        }
        assertArrayEquals(expected.toArray(), nonces);
        assertRoundTrip(txs);
    }

    @Test
    void feeCapsAreDeltasPerCallTarget() {
        List<byte[]> txs = List.of(feeTx(TARGET_A, 1, 1, 1_000), feeTx(TARGET_B, 2, 2, 5_000), feeTx(TARGET_A, 3, 1, 1_003));
        byte[] fees = arrays(columns(txs))[Column.FEE.ordinal()];
        // per transaction tip then fee cap, as zigzag(delta) << 1; the third is against the first, not the second.
        ByteSink expected = new ByteSink(16);
        for (long v : new long[] {4, 4_000, 8, 20_000, 0, 12}) {
            expected.putVarint(v);
        }
        assertArrayEquals(expected.toArray(), fees);
        assertRoundTrip(txs);
    }

    @Test
    void vIsADeltaPerTypeAndSignatureLengthsHaveTheirOwnColumn() {
        List<byte[]> txs = List.of(tx(TARGET_A, 1, new byte[0]), feeTx(TARGET_A, 2, 1, 1_000), tx(TARGET_A, 3, new byte[0]));
        byte[][] cols = arrays(columns(txs));
        // legacy v = 27 (zigzag 54, shifted 108), the type-2 parity 0, then the second legacy v repeats its type's last.
        assertArrayEquals(new byte[] {108, 0, 0}, cols[Column.V.ordinal()]);
        assertArrayEquals(new byte[] {32, 32, 32, 32, 32, 32}, cols[Column.SIG_LEN.ordinal()]);
        assertRoundTrip(txs);
    }

    @Test
    void aForgedNestedCodeWithoutALengthWordIsRefused() {
        List<byte[]> txs = List.of(tx(TARGET_A, 1, concat(new byte[] {1, 2, 3, 4}, word(7), word(8))));
        byte[][] cols = arrays(columns(txs));
        cols[Column.WORD_CODE.ordinal()][0] = (byte) EthColumnsEncoder.WORD_NESTED;
        BatchDecodeException e = assertThrows(BatchDecodeException.class,
            () -> new EthColumnsDecoder(cols, 1 << 16).read(1, 1));
        assertEquals("word at offset 4: no embedded call fits there at depth 0", e.getMessage());
    }

    @Test
    void aSlotRepeatWithNoEarlierWordIsRefused() {
        List<byte[]> txs = List.of(tx(TARGET_A, 1, concat(new byte[] {1, 2, 3, 4}, word(7))));
        byte[][] cols = arrays(columns(txs));
        cols[Column.WORD_CODE.ordinal()][0] = (byte) EthColumnsEncoder.WORD_SAME_SLOT;
        cols[Column.WORDS.ordinal()] = new byte[0];
        BatchDecodeException e = assertThrows(BatchDecodeException.class,
            () -> new EthColumnsDecoder(cols, 1 << 16).read(1, 1));
        assertEquals("word at offset 4 repeats a slot that has no word yet", e.getMessage());
    }
}
