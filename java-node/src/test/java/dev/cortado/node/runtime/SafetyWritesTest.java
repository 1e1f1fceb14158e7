package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.storage.SafetyState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each distinct safety state is synced once, before persist returns; a repeat of the state on disk is not synced. */
class SafetyWritesTest {
    @Test
    void aRepeatedStateIsNotSyncedAgainAndEveryChangeIs(@TempDir Path dir) {
        try (NodeStore store = new NodeStore(dir)) {
            List<Long> written = new ArrayList<>();
            SafetyWrites w = new SafetyWrites(s -> {
                store.writeSafety(s);
                written.add(s.highestVotedView());
            }, null);
            assertTrue(w.persist(new SafetyState(5, new byte[] {5, 1})), "proposing in 5");
            assertEquals(5, store.readSafety().orElseThrow().highestVotedView(), "durable when persist returns");
            assertFalse(w.persist(new SafetyState(5, new byte[] {5, 1})), "the leader's own vote in 5: already on disk");
            assertTrue(w.persist(new SafetyState(5, new byte[] {5, 2})), "same view, higher lock: written");
            assertTrue(w.persist(new SafetyState(6, new byte[] {5, 2})));
            assertEquals(List.of(5L, 5L, 6L), written);
        }
    }

    @Test
    void theStateReadAtStartCountsAsWritten(@TempDir Path dir) {
        try (NodeStore store = new NodeStore(dir)) {
            store.writeSafety(new SafetyState(9, new byte[] {9}));
            List<Long> written = new ArrayList<>();
            SafetyWrites w = new SafetyWrites(s -> written.add(s.highestVotedView()), store.readSafety().orElse(null));
            assertFalse(w.persist(new SafetyState(9, new byte[] {9})));
            assertTrue(w.persist(new SafetyState(10, new byte[] {10})));
            assertEquals(List.of(10L), written);
        }
    }
}
