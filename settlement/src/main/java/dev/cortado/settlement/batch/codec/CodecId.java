package dev.cortado.settlement.batch.codec;

/** The codec byte of a batch frame (also the {@code compressionId} recorded by BatchInbox). */
public enum CodecId {
    /** The plain form, uncompressed. */
    NONE(0),
    /** The plain form compressed with zstd. */
    ZSTD(1),
    /** The plain form compressed with brotli. */
    BROTLI(2),
    /** The Ethereum transaction codec: columns of parsed fields, each compressed with zstd. */
    ETH_COLUMNS(3);

    private final int id;

    CodecId(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static CodecId of(int id) {
        for (CodecId c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new BatchDecodeException("unknown codec id " + id);
    }
}
