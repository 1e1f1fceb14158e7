package dev.cortado.protocol.codec;

import dev.cortado.protocol.types.Bytes32;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Ethereum's keccak256: Keccak[c = 512] with the original multi-rate padding (a 0x01 byte after the
 * message, 0x80 in the last byte of the block), not SHA3-256's 0x06 domain suffix. The sponge absorbs
 * 136-byte blocks as 17 little-endian lanes read straight from the callers' arrays, so multi-part
 * input is hashed without concatenating it; the only allocations are the 200-byte state and the result.
 */
public final class Keccak {
    /** Bytes absorbed per permutation: (1600 - 2 * 256) / 8. */
    static final int RATE_BYTES = 136;
    private static final int RATE_LANES = RATE_BYTES / Long.BYTES;
    private static final int DIGEST_LANES = Bytes32.LENGTH / Long.BYTES;
    private static final VarHandle LANE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Keccak() {
    }

    /** keccak256 of the concatenation of {@code parts}. */
    public static Bytes32 hash(byte[]... parts) {
        if (parts.length == 1) {
            byte[] only = parts[0];
            return hash(only, 0, only.length);
        }
        long[] state = new long[KeccakF1600.LANES];
        int position = 0;
        for (byte[] part : parts) {
            position = absorb(state, position, part, 0, part.length);
        }
        return finish(state, position);
    }

    /** keccak256 of {@code data[offset, offset + length)}. */
    public static Bytes32 hash(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        long[] state = new long[KeccakF1600.LANES];
        if (length == 2 * Bytes32.LENGTH) {
            // Merkle inner nodes and other 64-byte preimages: eight whole lanes, one block.
            for (int lane = 0; lane < 8; lane++) {
                state[lane] = (long) LANE.get(data, offset + lane * Long.BYTES);
            }
            return finish(state, 2 * Bytes32.LENGTH);
        }
        return finish(state, absorb(state, 0, data, offset, length));
    }

    /** keccak256 of {@code a ‖ b}, the inner node of every Merkle tree. */
    public static Bytes32 hashPair(Bytes32 a, Bytes32 b) {
        byte[] packed = new byte[2 * Bytes32.LENGTH];
        a.copyTo(packed, 0);
        b.copyTo(packed, Bytes32.LENGTH);
        return hash(packed, 0, packed.length);
    }

    /**
     * XORs {@code data[offset, offset + length)} into the sponge, which already holds {@code position}
     * bytes of the current block, permuting whenever a block fills. Returns the new position (0..135).
     */
    private static int absorb(long[] state, int position, byte[] data, int offset, int length) {
        int end = offset + length;
        int i = offset;
        // Finish a lane that an earlier part left half-filled, a byte at a time.
        while ((position & 7) != 0 && i < end) {
            state[position >>> 3] ^= (data[i++] & 0xFFL) << ((position & 7) << 3);
            position++;
        }
        if (position == RATE_BYTES) {
            KeccakF1600.permute(state);
            position = 0;
        }
        // Whole lanes up to the end of the current block.
        while (position != 0 && end - i >= Long.BYTES) {
            state[position >>> 3] ^= (long) LANE.get(data, i);
            i += Long.BYTES;
            position += Long.BYTES;
            if (position == RATE_BYTES) {
                KeccakF1600.permute(state);
                position = 0;
            }
        }
        // Whole blocks: the hot loop for long inputs.
        while (position == 0 && end - i >= RATE_BYTES) {
            for (int lane = 0; lane < RATE_LANES; lane++) {
                state[lane] ^= (long) LANE.get(data, i + lane * Long.BYTES);
            }
            i += RATE_BYTES;
            KeccakF1600.permute(state);
        }
        // The tail is shorter than what is left of the block, so nothing here fills it.
        while (end - i >= Long.BYTES) {
            state[position >>> 3] ^= (long) LANE.get(data, i);
            i += Long.BYTES;
            position += Long.BYTES;
        }
        if (i < end) {
            long partial = 0;
            int shift = (position & 7) << 3;
            while (i < end) {
                partial |= (data[i++] & 0xFFL) << shift;
                shift += 8;
                position++;
            }
            state[(position - 1) >>> 3] ^= partial;
        }
        return position;
    }

    /** Pads the last block (position 0..135 bytes filled), permutes, and squeezes 32 bytes. */
    private static Bytes32 finish(long[] state, int position) {
        state[position >>> 3] ^= 0x01L << ((position & 7) << 3);
        state[RATE_LANES - 1] ^= 0x80L << 56;
        KeccakF1600.permute(state);
        byte[] out = new byte[Bytes32.LENGTH];
        for (int lane = 0; lane < DIGEST_LANES; lane++) {
            LANE.set(out, lane * Long.BYTES, state[lane]);
        }
        return new Bytes32(out);
    }
}
