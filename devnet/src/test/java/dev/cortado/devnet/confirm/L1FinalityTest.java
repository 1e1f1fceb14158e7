package dev.cortado.devnet.confirm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.confirm.FollowingNetwork.Answer;
import dev.cortado.devnet.testing.Await;
import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.RollupClient;
import dev.cortado.lightclient.TransactionConfirmation;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.lightclient.LightClientPoster.PostResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Level 2 to level 3 on a real Anvil with four running nodes: a decided transaction stays HotShot-final after a
 * light-client certificate covering it lands on L1, and turns L1-final on every node only once the L1 block
 * holding that certificate is {@value #CONFIRMATIONS} blocks deep, the depth the nodes follow L1 at.
 */
class L1FinalityTest {
    private static final int CONFIRMATIONS = 2;
    private static final long OPEN_NAMESPACE = 4242;

    @Test
    void aPostedCertificateMakesTransactionsL1FinalOnlyAtTheConfirmationDepth(@TempDir Path dir) throws Exception {
        try (FollowingNetwork n = FollowingNetwork.start(dir, CONFIRMATIONS)) {
            AtomicReference<Answer> submitted = new AtomicReference<>();
            Await.until("a loose transaction admitted once the followers have read L1", 30_000, () -> {
                submitted.set(n.submit(0, OPEN_NAMESPACE, "0x6c312d66696e616c"));
                return submitted.get().status() == 200;
            }, () -> submitted.get().text());
            String hash = submitted.get().body().get("hash").stringValue();
            String path = "/v0/tx/" + hash;
            Await.until("the transaction decided on every node", 30_000,
                    () -> levels(n, path).stream().allMatch("hotshot_final"::equals), () -> levels(n, path).toString());
            long height = n.get(0, path).body().get("height").longValue();
            long view = n.get(0, path).body().get("confirmation").get("view").longValue();

            Await.until("a light-client certificate covering height " + height, 30_000,
                    () -> n.get(0, "/v0/light-client/latest").status() == 200
                            && n.get(0, "/v0/light-client/latest").body().get("state").get("height").longValue() >= height,
                    () -> n.get(0, "/v0/light-client/latest").text());
            PostResult.Posted posted = assertInstanceOf(PostResult.Posted.class, n.poster.postLatest());
            assertTrue(posted.height() >= height, posted.toString());
            long b = posted.l1Block();
            assertEquals(b, n.l1.blockNumber(), "automine: the certificate's block is the latest");

            // The followers read at most block b - 2, which does not hold the certificate yet.
            Await.until("every follower at block " + (b - CONFIRMATIONS), 30_000, () -> n.followedByAll() == b - CONFIRMATIONS,
                    () -> "followed by all: " + n.followedByAll());
            assertEquals(List.of("hotshot_final", "hotshot_final", "hotshot_final", "hotshot_final"), levels(n, path),
                    "the certificate is on L1 but not at the confirmation depth");
            n.l1.mine();
            Await.until("every follower at block " + (b - 1), 30_000, () -> n.followedByAll() == b - 1,
                    () -> "followed by all: " + n.followedByAll());
            assertEquals(List.of("hotshot_final", "hotshot_final", "hotshot_final", "hotshot_final"), levels(n, path),
                    "one block deep is not deep enough");

            n.l1.mine();
            Await.until("the transaction L1-final on every node", 30_000,
                    () -> levels(n, path).stream().allMatch("l1_final"::equals), () -> levels(n, path).toString());
            for (int i = 0; i < 4; i++) {
                var c = n.get(i, path).body().get("confirmation");
                assertEquals(height, c.get("height").longValue());
                assertEquals(view, c.get("view").longValue());
                assertEquals(b, c.get("l1").get("l1Block").longValue(), "read at the block holding the certificate");
                assertEquals(posted.height(), c.get("l1").get("lightClientHeight").longValue());
                assertEquals("l1_final", n.get(i, "/v0/block/" + height).body().get("confirmation").get("level").stringValue());
            }

            // A rollup that trusts only the stake table gets the level with the transaction proven.
            RollupClient rollup = new RollupClient(n.apis().stream().map(NodeFollower::new).toList(),
                    new LightClientVerifier(FollowingNetwork.HOTSHOT_CHAIN_ID, n.validators.table()), 16);
            TransactionConfirmation c = rollup.confirmation(Bytes32.fromHex(hash));
            assertEquals(TransactionConfirmation.Level.L1_FINAL, c.level());
            assertEquals(height, c.proven().height());
            assertTrue(rollup.rejectedAnswers().isEmpty(), rollup.rejectedAnswers().toString());
        }
    }

    private static List<String> levels(FollowingNetwork n, String path) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) out.add(n.get(i, path).level());
        return out;
    }
}
