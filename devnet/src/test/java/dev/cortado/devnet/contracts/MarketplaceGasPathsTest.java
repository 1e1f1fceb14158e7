package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.SEQ_X;
import static dev.cortado.devnet.contracts.support.Auction.bundle;
import static dev.cortado.devnet.contracts.support.Auction.salt;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u32;
import static dev.cortado.devnet.contracts.support.Chain.u64;
import static dev.cortado.devnet.contracts.support.Market.WINDOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Market;
import dev.cortado.devnet.contracts.support.OnAnvil;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The cheaper paths of the gas work keep the contract's rules: ETH attached to commitBid pays
 * collateral + fee (the free balance covers a shortfall and keeps an excess), and the reveal's
 * reserve check, which reads the rollup's latest terms in one word, still uses the terms in force
 * in the bid's window when a change is pending for a later one.
 */
class MarketplaceGasPathsTest extends OnAnvil {
    private static final long BOND = 100;
    private static final long FEE = 7;
    private static final String BEN = "0x0000000000000000000000000000000000000e01";
    private static final String DEF = "0x0000000000000000000000000000000000000d01";

    @Test
    void attachedEthPaysTheCommitFirstAndTheFreeBalanceCoversTheRest() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, BOND, FEE);
        SequencingMarketplace m = mk.m();
        mk.register(owner, 100, owner, 500, DEF, BEN);
        SequencingMarketplace byX = mk.as(x);
        ok(byX.deposit(n(1_000)));
        mk.clock().goToSlot(3);

        // Exactly collateral + fee attached: the free balance is not touched.
        ok(byX.commitBid(n(WINDOW), salt(1), n(600), n(607)));
        assertEquals(n(1_000), m.freeBalanceOf(x.getAddress()).send());
        // Less attached: the free balance pays the shortfall (607 - 200).
        ok(byX.commitBid(n(WINDOW), salt(2), n(600), n(200)));
        assertEquals(n(593), m.freeBalanceOf(x.getAddress()).send());
        // More attached: the excess stays in the free balance (1,000 - 607).
        ok(byX.commitBid(n(WINDOW), salt(3), n(600), n(1_000)));
        assertEquals(n(986), m.freeBalanceOf(x.getAddress()).send());
        // Not enough in both: the error names what both hold together and what the bid needs.
        assertReverts(l1, x, m, byX.commitBid(n(WINDOW), salt(4), n(2_000), n(10)), n(10),
                error("SequencingMarketplace__InsufficientBalance(uint256,uint256)", u(996), u(2_007)));
        assertEquals(n(986), m.freeBalanceOf(x.getAddress()).send());
        assertEquals(n(3), m.bidCount(n(WINDOW)).send());
        List<BigInteger> collateral = List.of(n(600), n(600), n(600));
        for (int id = 0; id < 3; id++) {
            assertEquals(collateral.get(id), m.bidOf(n(WINDOW), n(id)).send().component2());
        }
        // The contract holds exactly the free balance plus the three collaterals and fees.
        BigInteger held = l1.web3j().ethGetBalance(mk.address(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                .send().getBalance();
        assertEquals(n(986 + 3 * 607), held);
    }

    @Test
    void revealUsesTheTermsOfItsWindowWhileAChangeIsPendingForTheNext() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, BOND, FEE);
        SequencingMarketplace m = mk.m();
        mk.register(owner, 100, owner, 1_000, DEF, BEN);
        mk.register(owner, 200, owner, 2_000, DEF, BEN);
        ok(mk.as(x).deposit(n(100_000)));
        mk.clock().goToSlot(3);
        int low = mk.commit(x, bundle(0), 900, SEQ_X, 1, 2_000);
        int met = mk.commit(x, bundle(0, 1), 3_500, SEQ_X, 2, 4_000);
        int unsold = mk.commit(x, bundle(5), 900, SEQ_X, 3, 2_000);
        // During window 1's commit phase: index 0's reserve rises to 7,000 and index 1 leaves, both from window 2.
        ok(m.updateRollupTerms(n(0), n(7_000), DEF, BEN));
        ok(m.deregisterRollup(n(1)));
        assertEquals(n(7_000), m.termsAt(n(0), n(2)).send().component1());

        mk.clock().goToSlot(6);
        assertReverts(l1, x, m, mk.as(x).revealBid(n(WINDOW), n(low), bundle(0), n(900), SEQ_X, salt(1)),
                error("SequencingMarketplace__ReserveNotMet(uint32,uint256,uint256)", u32(low), u(900), u(1_000)));
        // 3,500 meets window 1's 1,000 + 2,000 (not window 2's terms, where index 1 is unsold).
        TransactionReceipt r = mk.reveal(x, met, bundle(0, 1), 3_500, SEQ_X, 2);
        assertEquals(n(3_500), SequencingMarketplace.getBidRevealedEvents(r).getFirst().amount);
        // An index nobody ever registered is not sold.
        assertReverts(l1, x, m, mk.as(x).revealBid(n(WINDOW), n(unsold), bundle(5), n(900), SEQ_X, salt(3)),
                error("SequencingMarketplace__RollupNotInWindow(uint64,uint256)", u64(WINDOW), u(5)));
    }
}
