package dev.cortado.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code epoch_tables} column: round trip across a reopen, and every malformed row refused with its reason. */
class EpochTableColumnTest {
    private static final StakeTable TABLE = StakeTable.of(List.of(
            new StakeEntry(TestKeys.keyPair(0).publicKey(), 7, true),
            new StakeEntry(TestKeys.keyPair(1).publicKey(), 1L << 40, false)));

    @Test
    void tablesSurviveAReopenAndTheHighestEpochIsKnown(@TempDir Path dir) {
        try (NodeStore store = new NodeStore(dir)) {
            assertEquals(OptionalLong.empty(), store.epochTables().highest());
            store.epochTables().put(3, TABLE);
            store.epochTables().put(1_000_000_007L, TABLE);
        }
        try (NodeStore store = new NodeStore(dir)) {
            StakeTable back = store.epochTables().get(3).orElseThrow();
            assertEquals(TABLE.commitment(), back.commitment());
            assertEquals(TABLE.entries(), back.entries(), "keys, stakes and DA flags");
            assertEquals(Optional.empty(), store.epochTables().get(4));
            assertEquals(OptionalLong.of(1_000_000_007L), store.epochTables().highest(), "keys sort as unsigned heights");
        }
    }

    @Test
    void aRowWrittenByHandInTheVersionOneFormatDecodesWithItsDaFlags() {
        ByteBuffer row = ByteBuffer.allocate(1 + 4 + 2 * (96 + 8 + 1)).put((byte) 1).putInt(2);
        row.put(TestKeys.keyPair(0).publicKey().toBytes()).putLong(7).put((byte) 1);
        row.put(TestKeys.keyPair(1).publicKey().toBytes()).putLong(1L << 40).put((byte) 0);
        assertEquals(TABLE.entries(), EpochTableColumn.decode(9, row.array()).entries());
        assertArrayEquals(row.array(), EpochTableColumn.encode(TABLE), "the same bytes as any row stored before");
    }

    @Test
    void malformedRowsAreRefusedWithTheirReason() {
        byte[] good = EpochTableColumn.encode(TABLE);
        assertEquals(TABLE.commitment(), EpochTableColumn.decode(9, good).commitment());
        assertRefused("unknown version 2", with(good, 0, (byte) 2));
        assertRefused("3 entries in 210 bytes", ByteBuffer.wrap(good.clone()).putInt(1, 3).array());
        assertRefused("0 entries in 210 bytes", ByteBuffer.wrap(good.clone()).putInt(1, 0).array());
        assertRefused("2 entries in 209 bytes", Arrays.copyOf(good, good.length - 1));
        assertRefused("entry 1 has DA flag 2", with(good, good.length - 1, (byte) 2));
        assertRefused("BLS public key is not in compressed form", with(good, 5, (byte) 0));
        assertRefused(null, new byte[] {1, 0});
        byte[] overflow = ByteBuffer.wrap(good.clone()).putLong(5 + 96, Long.MAX_VALUE).array();
        assertRefused("long overflow", overflow);
        assertRefused("stake must be positive, got 0 gwei", ByteBuffer.wrap(good.clone()).putLong(5 + 96, 0).array());
    }

    private static byte[] with(byte[] bytes, int at, byte value) {
        byte[] copy = bytes.clone();
        copy[at] = value;
        return copy;
    }

    private static void assertRefused(String reason, byte[] row) {
        StorageException e = assertThrows(StorageException.class, () -> EpochTableColumn.decode(9, row));
        if (reason != null) assertEquals("corrupt stored stake table of epoch 9: " + reason, e.getMessage());
    }
}
