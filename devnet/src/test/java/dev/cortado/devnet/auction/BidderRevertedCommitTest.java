package dev.cortado.devnet.auction;

import static dev.cortado.devnet.contracts.support.Auction.bundle;
import static dev.cortado.devnet.contracts.support.Auction.salt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.contracts.support.Market;
import dev.cortado.devnet.contracts.support.OnAnvil;
import dev.cortado.settlement.auction.BidJournal;
import dev.cortado.settlement.auction.Bidder;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.PendingBid.Stage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * A commit that passed its simulation can still be mined reverted (on the live devnet it landed in the
 * next slot, after the commit phase). The journal then holds COMMIT_SENT with a hash the L1 knows but
 * that locked nothing; the bidder must sign again instead of waiting on it forever.
 */
class BidderRevertedCommitTest extends OnAnvil {

    @Test
    void aCommitMinedRevertedIsSignedAgainWhileTheCommitPhaseLasts(@TempDir Path tmp) throws Exception {
        Market mk = Market.deploy(l1, owner, l1.accounts().get(9).getAddress(), 8, 100, 10);
        mk.register(owner, 100, owner, 500, owner.getAddress(), owner.getAddress());
        mk.clock().goToSlot(3);
        // A commit mined with status 0 (collateral below the bond; sent without simulation).
        String reverted;
        try {
            var r = mk.as(x).commitBid(BigInteger.ONE, salt(7), BigInteger.ONE, BigInteger.ZERO).send();
            assertTrue(!r.isStatusOK(), "the commit must revert");
            reverted = r.getTransactionHash();
        } catch (TransactionException e) {
            reverted = e.getTransactionReceipt().map(r -> r.getTransactionHash()).or(() -> e.getTransactionHash())
                    .orElseThrow(() -> new AssertionError("no hash in " + e.getMessage(), e));
        }
        try (MarketplaceGateway g = MarketplaceGateway.connect(l1.rpcUrl(), mk.address(), x);
                BidJournal journal = BidJournal.open(tmp.resolve("state"))) {
            assertTrue(g.minedAndReverted(reverted));
            List<String> log = new ArrayList<>();
            Bidder bidder = new Bidder(g, journal, log::add);
            int i = bidder.prepare(new Bidder.Request(1, bundle(0), BigInteger.valueOf(600), BigInteger.valueOf(700),
                    x.getAddress()));
            String hash = reverted;
            journal.update(i, b -> b.sent(hash)); // the state a crash right after that send leaves
            bidder.step();
            assertEquals(Stage.PREPARED, journal.entries().get(i).stage(), log.toString());
            assertTrue(log.getLast().contains("reverted on L1 (nothing locked); signing again"), log.toString());
            bidder.step();
            assertEquals(Stage.COMMITTED, journal.entries().get(i).stage(), log.toString());
            assertEquals(BigInteger.ONE, mk.m().bidCount(BigInteger.ONE).send());
        }
    }
}
