package dev.cortado.settlement.batch.codec;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * zstd and brotli over byte arrays. Decompression always knows the exact output length in advance
 * and never produces more: a bomb fails as soon as it passes the declared length.
 */
public final class GeneralCodecs {
    private GeneralCodecs() {}

    public static byte[] zstd(byte[] src, int level) {
        return Zstd.compress(src, level);
    }

    /** Decompresses exactly {@code outputLength} bytes or throws. */
    public static byte[] unzstd(byte[] src, int off, int len, int outputLength) {
        byte[] out = new byte[outputLength];
        try {
            long n = Zstd.decompressByteArray(out, 0, outputLength, src, off, len);
            if (n != outputLength) {
                throw new BatchDecodeException("zstd gave " + n + " bytes, the frame declares " + outputLength);
            }
        } catch (ZstdException e) {
            throw new BatchDecodeException("zstd refused the data (declared output " + outputLength + " bytes): " + e.getMessage(), e);
        }
        return out;
    }

    public static byte[] brotli(byte[] src, int quality) {
        ensureBrotli();
        try {
            return Encoder.compress(src, new Encoder.Parameters().setQuality(quality).setWindow(24));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decompresses exactly {@code outputLength} bytes; a stream that goes on is refused after one byte more. */
    public static byte[] unbrotli(byte[] src, int off, int len, int outputLength) {
        ensureBrotli();
        byte[] out = new byte[outputLength];
        try (BrotliInputStream in = new BrotliInputStream(new ByteArrayInputStream(src, off, len))) {
            int got = in.readNBytes(out, 0, outputLength);
            if (got != outputLength) {
                throw new BatchDecodeException("brotli gave " + got + " bytes, the frame declares " + outputLength);
            }
            if (in.read() != -1) {
                throw new BatchDecodeException("brotli output goes past the declared " + outputLength + " bytes");
            }
        } catch (IOException e) {
            throw new BatchDecodeException("brotli refused the data: " + e.getMessage(), e);
        }
        return out;
    }

    private static void ensureBrotli() {
        Brotli4jLoader.ensureAvailability();
    }

    /**
     * The level for a backlog, as Nitro does: a poster that falls behind trades ratio for speed.
     * {@code backlogBatches} counts closed batches still waiting to be posted.
     */
    public static int zstdLevelForBacklog(int backlogBatches) {
        if (backlogBatches <= 1) {
            return 19;
        }
        if (backlogBatches <= 4) {
            return 12;
        }
        return backlogBatches <= 16 ? 6 : 3;
    }

    public static int brotliQualityForBacklog(int backlogBatches) {
        if (backlogBatches <= 1) {
            return 11;
        }
        if (backlogBatches <= 4) {
            return 9;
        }
        return backlogBatches <= 16 ? 6 : 3;
    }
}
