package dev.cortado.protocol.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TypesTest {
    @Test
    void bytes32CopiesDefensivelyAndRoundTripsHex() {
        byte[] raw = new byte[32];
        raw[31] = 5;
        Bytes32 b = new Bytes32(raw);
        raw[31] = 6;
        assertEquals(5, b.bytes()[31]);
        b.bytes()[31] = 9;
        assertEquals(5, b.bytes()[31]);
        assertEquals("0x" + "00".repeat(31) + "05", b.toString());
        assertEquals(b, Bytes32.fromHex(b.toHex()));
        assertEquals(b, Bytes32.fromHex(b.toHex().substring(2)));
        assertTrue(Bytes32.ZERO.isZero());
        assertThrows(IllegalArgumentException.class, () -> new Bytes32(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Bytes32.fromHex("0x1234"));
        assertThrows(IllegalArgumentException.class, () -> Bytes32.fromHex("0x" + "zz".repeat(32)));
    }

    @Test
    void numberTypesAreOrderedNonNegativeAndDistinct() {
        assertEquals(View.of(4), View.of(3).next());
        assertTrue(View.of(3).compareTo(View.of(4)) < 0);
        assertTrue(Height.of(5).isAfter(Height.of(4)));
        assertTrue(Slot.of(1).isBefore(Slot.of(2)));
        assertNotEquals(View.of(1), Height.of(1));
        assertThrows(IllegalArgumentException.class, () -> View.of(-1));
        assertThrows(IllegalArgumentException.class, () -> Height.of(-1));
        assertThrows(ArithmeticException.class, () -> Slot.of(Long.MAX_VALUE).next());
    }

    @Test
    void addressNeedsTwentyBytes() {
        assertThrows(IllegalArgumentException.class, () -> Address.fromHex("0x1234"));
        assertEquals("0x" + "0a".repeat(20), Address.fromHex("0x" + "0A".repeat(20)).toHex());
    }
}
