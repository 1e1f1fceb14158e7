package dev.cortado.protocol.types;

import java.util.HexFormat;

/** 0x-prefixed lowercase hex, the one text form for bytes in Cortado (JSON, logs, vectors). */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    /** Decodes hex with an optional 0x prefix. */
    public static byte[] decode(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("hex string is null");
        }
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has an odd number of digits: " + abbreviate(hex));
        }
        try {
            return HEX.parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex string: " + abbreviate(hex), e);
        }
    }

    /** Decodes hex that must hold exactly {@code expectedBytes} bytes. */
    public static byte[] decode(String hex, int expectedBytes) {
        byte[] out = decode(hex);
        if (out.length != expectedBytes) {
            throw new IllegalArgumentException("expected " + expectedBytes + " bytes of hex, got " + out.length);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
