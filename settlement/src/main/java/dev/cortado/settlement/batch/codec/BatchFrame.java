package dev.cortado.settlement.batch.codec;

/**
 * The bytes posted to L1 for one batch: {@code version ‖ codec ‖ uint32 plainLength ‖ body}. The
 * plain length is the size of {@link BatchContent#toPlain()}, which bounds what decoding may
 * produce whatever the codec. docs/architecture.md ("Batch format") documents it byte by byte.
 */
public final class BatchFrame {
    /** 2 since the Ethereum columns body has the SIG_LEN column and per-target fee caps; version 1 frames are refused. */
    public static final int VERSION = 2;
    public static final int HEADER_BYTES = 6;
    /** No batch decodes to more than this, whatever its header claims. */
    public static final int MAX_PLAIN_BYTES = 16 << 20;

    private BatchFrame() {}

    /** Encodes {@code content} with {@code codec}; {@code level} is the zstd level or brotli quality. */
    public static byte[] encode(BatchContent content, CodecId codec, int level) {
        int plainLength = content.plainLength();
        if (plainLength > MAX_PLAIN_BYTES) {
            throw new IllegalArgumentException("batch of " + plainLength + " plain bytes exceeds " + MAX_PLAIN_BYTES);
        }
        if (codec == CodecId.ETH_COLUMNS) {
            return EthColumnsBody.encode(content, plainLength, level, header(codec, plainLength));
        }
        byte[] plain = content.toPlain();
        byte[] body = switch (codec) {
            case NONE -> plain;
            case ZSTD -> GeneralCodecs.zstd(plain, level);
            case BROTLI -> GeneralCodecs.brotli(plain, level);
            case ETH_COLUMNS -> throw new AssertionError("handled above");
        };
        ByteSink out = header(codec, plainLength);
        out.put(body);
        return out.toArray();
    }

    private static ByteSink header(CodecId codec, int plainLength) {
        ByteSink out = new ByteSink(HEADER_BYTES + plainLength / 2);
        out.put(VERSION);
        out.put(codec.id());
        out.putU32(plainLength);
        return out;
    }

    /** The codec a frame names, after checking its header. */
    public static CodecId codecOf(byte[] frame) {
        if (frame.length < HEADER_BYTES) {
            throw new BatchDecodeException("batch frame of " + frame.length + " bytes is shorter than its header");
        }
        if ((frame[0] & 0xFF) != VERSION) {
            throw new BatchDecodeException("batch frame version " + (frame[0] & 0xFF) + ", expected " + VERSION);
        }
        return CodecId.of(frame[1] & 0xFF);
    }

    /** Decodes a frame; refuses anything that would decode to more than {@code maxPlainBytes}. */
    public static BatchContent decode(byte[] frame, int maxPlainBytes) {
        CodecId codec = codecOf(frame);
        ByteSource in = new ByteSource(frame, 2, 4, "batch frame header");
        long plainLength = in.u32() & 0xFFFFFFFFL;
        long max = Math.min(maxPlainBytes, MAX_PLAIN_BYTES);
        if (plainLength > max) {
            throw new BatchDecodeException("batch declares " + plainLength + " plain bytes, the limit is " + max);
        }
        int n = (int) plainLength;
        int bodyLen = frame.length - HEADER_BYTES;
        BatchContent content = switch (codec) {
            case NONE -> {
                if (bodyLen != n) {
                    throw new BatchDecodeException("uncompressed body of " + bodyLen + " bytes, declared " + n);
                }
                yield BatchContent.fromPlain(java.util.Arrays.copyOfRange(frame, HEADER_BYTES, frame.length));
            }
            case ZSTD -> BatchContent.fromPlain(GeneralCodecs.unzstd(frame, HEADER_BYTES, bodyLen, n));
            case BROTLI -> BatchContent.fromPlain(GeneralCodecs.unbrotli(frame, HEADER_BYTES, bodyLen, n));
            case ETH_COLUMNS -> {
                BatchContent c = EthColumnsBody.decode(frame, HEADER_BYTES, bodyLen, n);
                int actual = c.plainLength();
                if (actual != n) {
                    throw new BatchDecodeException("columns rebuild " + actual + " plain bytes, the frame declares " + n);
                }
                yield c;
            }
        };
        return content;
    }
}
