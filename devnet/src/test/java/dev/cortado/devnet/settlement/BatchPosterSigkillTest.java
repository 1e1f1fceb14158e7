package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.batch.BatchPoster.Stage;
import dev.cortado.settlement.batch.InboxL1.PostedBatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * The batch poster as a real child JVM, SIGKILLed at random stages (journaled but not sent, sent,
 * awaiting the receipt) again and again; the next process starts from the journal file and L1 only.
 * In the end every height is recorded exactly once and the account sent exactly one transaction per
 * batch: nothing lost, nothing posted twice, nothing reverted.
 */
class BatchPosterSigkillTest {
    private static final int HEIGHTS = 32;
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void aPosterKilledAtRandomPointsPostsEveryHeightExactlyOnce() throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil();
                BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, HEIGHTS, 41)) {
            BatchL1 t = new BatchL1(l1);
            BatchL1.Setup s = t.deploy(node, HEIGHTS - 1);
            long nonceBefore = t.nonce(t.poster);
            Random rnd = new Random(4141);
            Stage[] stages = Stage.values();
            EnumSet<Stage> killedAt = EnumSet.noneOf(Stage.class);
            int kills = 0;
            t.automine(false);
            try {
                // Killed at the first time it reaches its stage, a process gets at most one batch further, so
                // 32 heights outlast the 20 kills; the last process posts the rest.
                for (int i = 0; kills < KILLS && i < 2 * KILLS && t.nextHeight(s) < HEIGHTS; i++) {
                    Stage stage = stages[rnd.nextInt(stages.length)];
                    // Mostly calldata: each blob child pays for loading the KZG setup.
                    String carrier = i % 4 == 3 ? "BLOBS" : "CALLDATA";
                    if (run(t, s, node, carrier, stage.name(), 1)) {
                        kills++;
                        killedAt.add(stage);
                    }
                }
                // One last process with no kill finishes whatever is left.
                run(t, s, node, "CALLDATA", "NONE", 1);
            } finally {
                t.automine(true);
            }
            assertEquals(KILLS, kills);
            assertEquals(EnumSet.allOf(Stage.class), killedAt, "killed before the send, after it and awaiting the receipt");
            List<PostedBatch> batches = t.assertEachHeightOnce(s, HEIGHTS - 1);
            assertEquals(HEIGHTS, batches.size(), "one batch per height (maxBlocksPerBatch = 1)");
            assertEquals(HEIGHTS, t.nonce(t.poster) - nonceBefore, "no transaction beyond one per batch");
            assertTrue(batches.stream().anyMatch(b -> b.blobCount() == 1), "some batches went as blobs");
            t.assertRebuilt(node, s, 10, 0, HEIGHTS - 1);
        }
    }

    /** One poster process; true when it reached its kill point and was SIGKILLed there. */
    private boolean run(BatchL1 t, BatchL1.Setup s, BatchChainNode node, String carrier, String killStage, int occurrence)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), BatchPosterChild.class.getName(),
                t.l1.rpcUrl(), s.inbox(), s.lightClient(), node.uri().toString(), dir.resolve("journal").toString(),
                Numeric.toHexStringWithPrefixZeroPadded(t.poster.getEcKeyPair().getPrivateKey(), 64), carrier, killStage,
                Integer.toString(occurrence), Integer.toString(HEIGHTS)));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        boolean killed = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line).append('\n');
                if (line.equals("KILLME")) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
                    killed = true;
                    break;
                }
            }
        } finally {
            if (!child.waitFor(30, TimeUnit.SECONDS)) child.destroyForcibly();
        }
        if (killed) {
            assertEquals(137, child.waitFor() == 0 ? 0 : child.exitValue(), "killed by SIGKILL:\n" + out);
        } else {
            assertEquals(0, child.exitValue(), "the poster process failed:\n" + out);
            assertTrue(out.toString().contains("DONE"), out.toString());
        }
        return killed;
    }
}
