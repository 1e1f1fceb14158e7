package dev.cortado.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory of another store format is refused at open with what to do, instead of failing to decode later. */
class StoreFormatTest {
    private static final byte[] KEY = "store-format".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aNewStoreOpensAgainAndOthersAreRefusedWithTheReason(@TempDir Path dir) throws Exception {
        try (NodeStore store = new NodeStore(dir)) {
            store.putDecided(new DecidedBlock(1, 1, new byte[40], new byte[20], new byte[30], new byte[32]), null, null,
                    List.of(), null);
        }
        try (NodeStore store = new NodeStore(dir)) {
            assertEquals(1, store.latestHeight(), "the same format opens");
        }
        String fresh = "; this node reads store format 1 only. Start it on a fresh data directory: it catches up"
                + " from its peers";

        RawStores.putOrDelete(dir, "meta", KEY, null);
        assertEquals("the data directory " + dir + " was written by an older Cortado (before store formats were"
                + " recorded)" + fresh, assertThrows(StorageException.class, () -> new NodeStore(dir)).getMessage());

        RawStores.putOrDelete(dir, "meta", KEY, ByteBuffer.allocate(4).putInt(2).array());
        assertEquals("the data directory " + dir + " was written by a newer Cortado (format 2)" + fresh,
                assertThrows(StorageException.class, () -> new NodeStore(dir)).getMessage());

        RawStores.putOrDelete(dir, "meta", KEY, new byte[] {1});
        assertEquals("the data directory " + dir + " was written by an unknown version (a 1-byte format record)" + fresh,
                assertThrows(StorageException.class, () -> new NodeStore(dir)).getMessage());

        RawStores.putOrDelete(dir, "meta", KEY, ByteBuffer.allocate(4).putInt(1).array());
        try (NodeStore store = new NodeStore(dir)) {
            assertEquals(1, store.latestHeight(), "a refused open leaves the directory as it was");
        }
    }
}
