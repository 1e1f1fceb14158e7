package dev.cortado.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.merkle.MerkleAccumulator;
import dev.cortado.protocol.types.Bytes32;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the frontier: a writer process is killed (SIGKILL) while it decides blocks, twice, and each
 * reopen must find the tree in step with the blocks stored (same height, same leaves) and give the roots and
 * proofs of the in-memory accumulator over exactly those blocks; then deciding goes on from there.
 */
class HeaderTreeCrashTest {
    @TempDir Path dir;

    /** Starts the writer, lets it pass {@code atLeast} heights, kills it mid-stream and returns the last height it printed. */
    private long runAndKill(long atLeast) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                HeaderTreeCrashWriter.class.getName(), dir.toString()).redirectErrorStream(true).start();
        long last = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                last = Long.parseLong(line);
                if (last >= atLeast) {
                    p.destroyForcibly();
                    break;
                }
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "writer did not die");
        }
        assertTrue(last >= atLeast, "the writer stopped at " + last + " before it was killed");
        return last;
    }

    private static void checkInStep(NodeStore s, long killedAfter, Random r) {
        long size = s.headers().size();
        assertTrue(size >= killedAfter + 1, "a height the writer printed is lost: " + size + " after " + killedAfter);
        assertEquals(size - 1, s.latestHeight(), "blocks and header tree are written in one batch");
        MerkleAccumulator ref = new MerkleAccumulator();
        ref.append(Bytes32.ZERO);
        for (long h = 1; h < size; h++) {
            assertArrayEquals(TallStores.header(h).bytes(), s.decided(h).orElseThrow().commitment());
            ref.append(TallStores.header(h));
        }
        assertEquals(BlockCommitmentLog.blockCommRoot(ref.root(), size), s.headers().frontier().blockCommRoot());
        for (int i = 0; i < 50; i++) {
            int count = 1 + r.nextInt((int) size);
            int index = r.nextInt(count);
            assertEquals(ref.proof(index, count), s.headers().proof(index, count));
        }
    }

    @Test
    void aWriterKilledMidBlockLeavesTreeAndBlocksInStepAndTheSameRoots() throws Exception {
        Random r = new Random(5);
        long killed = runAndKill(300);
        try (NodeStore s = new NodeStore(dir)) {
            checkInStep(s, killed, r);
        }
        killed = runAndKill(killed + 300);
        try (NodeStore s = new NodeStore(dir)) {
            checkInStep(s, killed, r);
            for (long h = s.headers().size(), end = h + 100; h < end; h++) {
                s.putDecided(HeaderTreeTest.block(h, TallStores.header(h)), null, null, List.of(), null);
            }
        }
        try (NodeStore s = new NodeStore(dir)) {
            checkInStep(s, killed + 100, r);
        }
    }
}
