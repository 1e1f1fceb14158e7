package dev.cortado.settlement.batch.codec;

/**
 * The RLP subset the transaction codec needs: item headers read with bounds checks, and the
 * canonical header written back. Parsing is lenient about non-canonical headers on purpose; the
 * codec re-encodes every parsed transaction and keeps the raw bytes when they differ.
 */
final class Rlp {
    private Rlp() {}

    /** One item: where its payload starts, how long it is, and where the next item starts. */
    record Item(boolean list, int payloadOffset, int payloadLength, int end) {
        byte[] payload(byte[] src) {
            byte[] out = new byte[payloadLength];
            System.arraycopy(src, payloadOffset, out, 0, payloadLength);
            return out;
        }
    }

    /** Reads the item at {@code off}; it must end at or before {@code limit}; null when malformed. */
    static Item item(byte[] src, int off, int limit) {
        if (off >= limit) {
            return null;
        }
        int b = src[off] & 0xFF;
        if (b < 0x80) {
            return new Item(false, off, 1, off + 1);
        }
        if (b <= 0xB7) {
            return bounded(false, off + 1, b - 0x80, limit);
        }
        if (b <= 0xBF) {
            return longForm(false, src, off, b - 0xB7, limit);
        }
        if (b <= 0xF7) {
            return bounded(true, off + 1, b - 0xC0, limit);
        }
        return longForm(true, src, off, b - 0xF7, limit);
    }

    private static Item bounded(boolean list, int payloadOffset, int len, int limit) {
        long end = (long) payloadOffset + len;
        return end > limit ? null : new Item(list, payloadOffset, len, (int) end);
    }

    private static Item longForm(boolean list, byte[] src, int off, int lenOfLen, int limit) {
        if (lenOfLen > 4 || off + 1 + lenOfLen > limit) {
            return null;
        }
        long len = 0;
        for (int i = 0; i < lenOfLen; i++) {
            len = (len << 8) | (src[off + 1 + i] & 0xFF);
        }
        if (len > Integer.MAX_VALUE) {
            return null;
        }
        return bounded(list, off + 1 + lenOfLen, (int) len, limit);
    }

    /** Writes a byte string item. */
    static void putString(ByteSink out, byte[] s) {
        if (s.length == 1 && (s[0] & 0xFF) < 0x80) {
            out.put(s[0]);
            return;
        }
        putHeader(out, 0x80, 0xB7, s.length);
        out.put(s);
    }

    /** Writes a list header for a payload of {@code len} bytes. */
    static void putListHeader(ByteSink out, int len) {
        putHeader(out, 0xC0, 0xF7, len);
    }

    static int headerLength(int len) {
        if (len <= 55) {
            return 1;
        }
        return 1 + (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
    }

    static int stringLength(byte[] s) {
        if (s.length == 1 && (s[0] & 0xFF) < 0x80) {
            return 1;
        }
        return headerLength(s.length) + s.length;
    }

    private static void putHeader(ByteSink out, int shortBase, int longBase, int len) {
        if (len <= 55) {
            out.put(shortBase + len);
            return;
        }
        int lenOfLen = (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
        out.put(longBase + lenOfLen);
        for (int i = lenOfLen - 1; i >= 0; i--) {
            out.put(len >>> (8 * i));
        }
    }
}
