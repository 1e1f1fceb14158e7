package dev.cortado.devnet.run;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.l1.L1Options;
import dev.cortado.devnet.testing.Await;
import dev.cortado.settlement.auction.AuctionViews.RollupTerms;
import dev.cortado.settlement.auction.MarketplaceGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The story's three registrations straddling the first slot of a commit phase, as they can on a loaded
 * devnet. With 1 s slots and 8-slot windows (commit 4, reveal 1, resolution 1, finality 2), window 3 commits
 * in slots 16-19: alpha is registered in slot 15 and joins window 3, beta and gamma land in slots 16 and 17 and
 * join window 4. The story must start at window 4 and bid nothing for window 3, which lacks them.
 */
class DemoMarketRegistrationTest {

    @Test
    void registrationsStraddlingACommitPhaseStartTheStoryAtTheFirstWindowHoldingAllRollups(@TempDir Path tmp)
            throws Exception {
        L1Options o = L1Options.anvil();
        try (L1Devnet l1 = L1Devnet.start(new L1Options(o.kind(), o.chainId(), o.blockTimeSec(), o.genesisTimestampSec(),
                DemoMarket.ACCOUNTS, o.balanceEth(), o.startTimeoutMs()))) {
            Credentials deployer = l1.accounts().get(0);
            // Not in the future: the constructor refuses a genesis after its own block's timestamp, which Anvil may
            // leave equal to the latest one.
            long genesis = l1.latestTimestampSec();
            var params = Auction.params(genesis, 1, 8, 4, 1, 1, 2, 50, 16, 100, 10, deployer.getAddress());
            String market = SequencingMarketplace.deploy(l1.web3j(), tm(l1, deployer), GAS, params, deployer.getAddress()).send()
                    .getContractAddress();
            new Auction(l1, genesis, 1).goToSecond(14);
            l1.setBlockTimestampInterval(1); // alpha in slot 15, the last before window 3's commit phase; beta in 16, gamma in 17
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            try (DemoMarket story = DemoMarket.start(l1.rpcUrl(), market, l1.accounts(), 2, 0, tmp, 200, log::add);
                    MarketplaceGateway g = MarketplaceGateway.connect(l1.rpcUrl(), market, deployer)) {
                List<RollupTerms> rollups = g.rollupsFor(0);
                assertEquals(List.of(3L, 4L, 4L), rollups.stream().map(RollupTerms::firstWindow).toList(),
                        "the registrations straddled window 3's commit phase");
                assertEquals(4, story.firstWindow());
                assertTrue(log.getFirst().contains("are all auctioned from window 4 (its commit phase opens at slot 24)"),
                        log.toString());

                l1.setBlockTimestampInterval(0);
                l1.setIntervalMining(1); // the slot clock moves on without transactions
                Await.until("window 4's commit phase", 60_000, () -> g.latestSlot() >= 24, () -> log.toString());
                assertEquals(0, g.bidCount(3), "no bid for the window that holds alpha alone");
                Await.until("the demo bidders' commits for window 4", 60_000, () -> g.bidCount(4) == 2,
                        () -> log.toString());
                assertFalse(g.rollupsFor(3).get(1).inWindow(3));
            }
        }
    }
}
