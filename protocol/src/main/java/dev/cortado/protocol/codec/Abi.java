package dev.cortado.protocol.codec;

import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.Slot;
import dev.cortado.protocol.types.View;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Solidity's {@code abi.encode} for static values: each value is one 32-byte big-endian word.
 * This is the only place Java builds bytes that Solidity hashes, so both sides agree by construction.
 */
public final class Abi {
    public static final int WORD_BYTES = 32;
    private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

    private Abi() {
    }

    public static Encoder encoder() {
        return new Encoder();
    }

    /**
     * Encodes values by their Java type: Bytes32 as bytes32, BigInteger as uint256, Long/Integer as
     * uint256 (same word as uint64 for the non-negative values we allow), Boolean as bool, Address as
     * address, View/Height/Slot as uint64.
     */
    public static byte[] encode(Object... values) {
        Encoder e = new Encoder();
        for (Object v : values) {
            switch (v) {
                case Bytes32 b -> e.bytes32(b);
                case BigInteger i -> e.uint256(i);
                case Long l -> e.uint256(l);
                case Integer i -> e.uint256(i.longValue());
                case Boolean b -> e.bool(b);
                case Address a -> e.address(a);
                case View view -> e.uint64(view.value());
                case Height h -> e.uint64(h.value());
                case Slot s -> e.uint64(s.value());
                case null -> throw new IllegalArgumentException("cannot ABI-encode null");
                default -> throw new IllegalArgumentException("cannot ABI-encode " + v.getClass().getName());
            }
        }
        return e.build();
    }

    /** {@code abi.encodePacked(bytes32 a, bytes32 b)}: the 64-byte input of a Merkle inner node. */
    public static byte[] encodePacked(Bytes32 a, Bytes32 b) {
        byte[] out = new byte[64];
        a.copyTo(out, 0);
        b.copyTo(out, 32);
        return out;
    }

    public static byte[] uint64Word(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("uint64 value must be non-negative here, got " + value);
        }
        return longWord(value);
    }

    public static byte[] uint256Word(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("uint256 value must be non-negative, got " + value);
        }
        return longWord(value);
    }

    public static byte[] uint256Word(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(UINT256_LIMIT) >= 0) {
            throw new IllegalArgumentException("value out of uint256 range: " + value);
        }
        byte[] raw = value.toByteArray();
        byte[] word = new byte[WORD_BYTES];
        int len = Math.min(raw.length, WORD_BYTES);
        System.arraycopy(raw, raw.length - len, word, WORD_BYTES - len, len);
        return word;
    }

    public static byte[] boolWord(boolean value) {
        byte[] word = new byte[WORD_BYTES];
        word[WORD_BYTES - 1] = (byte) (value ? 1 : 0);
        return word;
    }

    public static byte[] addressWord(Address address) {
        byte[] word = new byte[WORD_BYTES];
        System.arraycopy(address.bytes(), 0, word, WORD_BYTES - Address.LENGTH, Address.LENGTH);
        return word;
    }

    private static byte[] longWord(long value) {
        byte[] word = new byte[WORD_BYTES];
        for (int i = 0; i < 8; i++) {
            word[WORD_BYTES - 1 - i] = (byte) (value >>> (8 * i));
        }
        return word;
    }

    /** Appends words; {@link #hash()} gives keccak256 of the encoding. */
    public static final class Encoder {
        private byte[] buf = new byte[WORD_BYTES * 8];
        private int size;

        private Encoder() {
        }

        public Encoder uint64(long value) {
            return word(uint64Word(value));
        }

        public Encoder uint256(long value) {
            return word(uint256Word(value));
        }

        public Encoder uint256(BigInteger value) {
            return word(uint256Word(value));
        }

        public Encoder bytes32(Bytes32 value) {
            ensure(WORD_BYTES);
            value.copyTo(buf, size);
            size += WORD_BYTES;
            return this;
        }

        public Encoder bool(boolean value) {
            return word(boolWord(value));
        }

        public Encoder address(Address value) {
            return word(addressWord(value));
        }

        private Encoder word(byte[] w) {
            ensure(WORD_BYTES);
            System.arraycopy(w, 0, buf, size, WORD_BYTES);
            size += WORD_BYTES;
            return this;
        }

        private void ensure(int extra) {
            if (size + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
            }
        }

        public byte[] build() {
            return Arrays.copyOf(buf, size);
        }

        public Bytes32 hash() {
            return Keccak.hash(build());
        }
    }
}
