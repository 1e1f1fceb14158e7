package dev.cortado.lightclient.api;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Hex;
import java.util.List;

/** Field decoding with messages that name the field; every failure is an IllegalArgumentException. */
final class Json {
    private Json() {
    }

    static Bytes32 bytes32(String hex, String field) {
        if (hex == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        try {
            return Bytes32.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field " + field + ": " + e.getMessage(), e);
        }
    }

    static byte[] bytes(String hex, String field) {
        if (hex == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        try {
            return Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field " + field + ": " + e.getMessage(), e);
        }
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }

    static List<Bytes32> roots(List<String> hexes, String field) {
        return required(hexes, field).stream().map(h -> bytes32(h, field)).toList();
    }
}
