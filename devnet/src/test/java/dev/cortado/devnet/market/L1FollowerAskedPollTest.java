package dev.cortado.devnet.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.node.l1.L1FollowerService;
import dev.cortado.node.l1.L1Settings;
import dev.cortado.node.l1.MarketState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica holding a proposal whose l1Head it has not followed asks its follower to poll at once
 * ({@link MarketState#pollSoon}) and is told when the follower moves ({@link MarketState#onAdvance}); before this, it
 * waited for the next scheduled poll (500 ms on the devnet) and then for the node's next 250 ms tick, which was the
 * devnet's p99 submit-to-decide. The scheduled interval here is 10 minutes, so only an asked poll can move the
 * follower within the test.
 */
class L1FollowerAskedPollTest {
    private static final int CONFIRMATIONS = 2;
    private static final long NEVER_MS = 600_000;

    @Test
    void anAskedPollFollowsTheNewBlockAndTellsTheListenerOnce(@TempDir Path dir) throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            DevnetValidators validators = DevnetValidators.generate(2, 2);
            Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), l1.deployer(), DeployConfig.devnetDefaults(
                    l1.latestTimestampSec(), 12, 7, validators.table().commitment(), List.of(), l1.accounts().get(9).getAddress()));
            L1Settings settings = NodeL1Config.of(d, CONFIRMATIONS, NEVER_MS);
            try (L1FollowerService service = L1FollowerService.open(settings, dir.resolve("node"))) {
                MarketState state = service.follower();
                AtomicInteger advances = new AtomicInteger();
                state.onAdvance(advances::incrementAndGet);
                service.start();
                long first = awaitFollowed(state, b -> b >= 0, "the start poll");
                awaitCount(advances, 1);

                l1.mine();
                assertEquals(first, state.followedBlock(), "no scheduled poll runs within 10 minutes");
                state.pollSoon();
                long second = awaitFollowed(state, b -> b > first, "the asked poll");
                assertEquals(first + 1, second);
                awaitCount(advances, 2);

                // Many asks while nothing is new: polls are coalesced, and a poll that moves nothing tells no one.
                for (int i = 0; i < 50; i++) {
                    state.pollSoon();
                }
                l1.mine();
                state.pollSoon();
                awaitFollowed(state, b -> b > second, "the next asked poll");
                awaitCount(advances, 3);
                assertEquals(3, advances.get(), "one notice per catch-up that advanced, none for the idle ones");
            }
        }
    }

    private static long awaitFollowed(MarketState state, java.util.function.LongPredicate done, String what)
            throws InterruptedException {
        long deadlineMs = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadlineMs) {
            long b = state.followedBlock();
            if (done.test(b)) return b;
            Thread.sleep(5);
        }
        throw new AssertionError(what + " did not move the follower (at " + state.followedBlock() + ")");
    }

    private static void awaitCount(AtomicInteger n, int want) throws InterruptedException {
        long deadlineMs = System.currentTimeMillis() + 20_000;
        while (n.get() < want && System.currentTimeMillis() < deadlineMs) {
            Thread.sleep(5);
        }
        assertTrue(n.get() >= want, "listener ran " + n.get() + " times, wanted " + want);
    }
}
