package dev.cortado.node.l1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.L1Head;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The light-client state the follower read survives a restart in its RocksDB, and clearing it is durable too. */
class L1FollowerStoreTest {
    @Test
    void theLightClientStateIsPersistedWithTheFollowedHead(@TempDir Path dir) {
        L1Head head = new L1Head(41, Bytes32.fromHex("0x" + "aa".repeat(32)), 1_800_000_100L);
        LightClientOnL1 lc = new LightClientOnL1(41, 17, 9, Bytes32.fromHex("0x" + "bb".repeat(32)));
        try (L1FollowerStore store = new L1FollowerStore(dir.resolve("l1"))) {
            store.save(new FollowedState(head, new TreeMap<>(), List.of(), lc));
        }
        try (L1FollowerStore store = new L1FollowerStore(dir.resolve("l1"))) {
            FollowedState back = store.load().orElseThrow();
            assertEquals(head, back.followed());
            assertEquals(lc, back.lightClient());
            store.save(new FollowedState(head, new TreeMap<>(), List.of()));
        }
        try (L1FollowerStore store = new L1FollowerStore(dir.resolve("l1"))) {
            assertNull(store.load().orElseThrow().lightClient());
        }
    }
}
