package dev.cortado.settlement.batch.codec;

/**
 * The body of an {@link CodecId#ETH_COLUMNS} frame: {@code uint64 firstHeight ‖ uint64 lastHeight},
 * then every {@link Column} in order as {@code method ‖ varint rawLength [‖ varint packedLength] ‖
 * bytes} with method 0 (stored) or 1 (zstd). Level 0 or below stores every column (tests fuzz the
 * columns through it).
 */
final class EthColumnsBody {
    private static final int STORED = 0;
    private static final int ZSTD = 1;
    /** Below this many raw bytes zstd's frame header costs more than it can save. */
    private static final int MIN_PACKED_BYTES = 64;

    private EthColumnsBody() {}

    /** Appends the body to {@code out} (the frame header already in it) and returns the frame. */
    static byte[] encode(BatchContent content, int plainLength, int level, ByteSink out) {
        EthColumnsEncoder enc = new EthColumnsEncoder(plainLength);
        enc.write(content);
        out.putU64(content.firstHeight());
        out.putU64(content.lastHeight());
        for (Column c : Column.ALL) {
            putColumn(out, c, enc.columns()[c.ordinal()].toArray(), level);
        }
        return out.toArray();
    }

    /** Writes one column; returns the bytes it took, method and lengths included. */
    static int putColumn(ByteSink out, Column c, byte[] raw, int level) {
        int before = out.size();
        byte[] packed = c.stored() || raw.length < MIN_PACKED_BYTES || level <= 0 ? null : GeneralCodecs.zstd(raw, level);
        if (packed == null || packed.length >= raw.length) {
            out.put(STORED);
            out.putVarint(raw.length);
            out.put(raw);
        } else {
            out.put(ZSTD);
            out.putVarint(raw.length);
            out.putVarint(packed.length);
            out.put(packed);
        }
        return out.size() - before;
    }

    /** Columns may together hold at most about twice the plain form: varint tags can outgrow RLP headers. */
    static long columnBudget(int plainLength) {
        return 2L * plainLength + 4096;
    }

    static BatchContent decode(byte[] frame, int off, int len, int plainLength) {
        ByteSource in = new ByteSource(frame, off, len, "columns body");
        long first = in.u64();
        long last = in.u64();
        if (first < 0 || last < first) {
            throw new BatchDecodeException("batch range " + first + ".." + last + " is invalid");
        }
        long budget = columnBudget(plainLength);
        byte[][] cols = new byte[Column.ALL.length][];
        for (Column c : Column.ALL) {
            int method = in.get();
            int rawLen = in.boundedVarint(budget, "column " + c + " length");
            budget -= rawLen;
            if (method == STORED) {
                cols[c.ordinal()] = in.get(rawLen);
            } else if (method == ZSTD) {
                int packedLen = in.boundedVarint(in.remaining(), "column " + c + " packed length");
                int at = in.position();
                in.skip(packedLen);
                cols[c.ordinal()] = GeneralCodecs.unzstd(in.array(), at, packedLen, rawLen);
            } else {
                throw new BatchDecodeException("column " + c + ": unknown method " + method);
            }
        }
        if (in.remaining() != 0) {
            throw new BatchDecodeException("columns body has " + in.remaining() + " trailing bytes");
        }
        return new EthColumnsDecoder(cols, plainLength).read(first, last);
    }
}
