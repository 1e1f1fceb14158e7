package dev.cortado.protocol.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/** An affine G1 point as plain coordinates, for test vectors and L1 encodings. */
public record G1Point(BigInteger x, BigInteger y, boolean infinity) {
    static G1Point fromEip2537(byte[] eip) {
        if (Arrays.equals(eip, new byte[Eip2537.G1_BYTES])) {
            return new G1Point(BigInteger.ZERO, BigInteger.ZERO, true);
        }
        return new G1Point(new BigInteger(1, Arrays.copyOfRange(eip, 0, 64)),
                new BigInteger(1, Arrays.copyOfRange(eip, 64, 128)), false);
    }

    /** 128 bytes: x and y, each left-padded to 64; all zeros for infinity. */
    public byte[] toEip2537() {
        byte[] out = new byte[Eip2537.G1_BYTES];
        if (!infinity) {
            put(x, out, 0);
            put(y, out, 64);
        }
        return out;
    }

    private static void put(BigInteger v, byte[] out, int slot) {
        byte[] raw = v.toByteArray();
        int len = Math.min(raw.length, 64);
        System.arraycopy(raw, raw.length - len, out, slot + 64 - len, len);
    }
}
