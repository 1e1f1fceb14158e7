package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.SEQ_X;
import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.SEQ_Y;
import static dev.cortado.devnet.contracts.SequencingMarketplaceTest.wrongPhase;
import static dev.cortado.devnet.contracts.support.Auction.bundle;
import static dev.cortado.devnet.contracts.support.Auction.salt;
import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u32;
import static dev.cortado.devnet.contracts.support.Chain.u64;
import static dev.cortado.devnet.contracts.support.Chain.u8;
import static dev.cortado.devnet.contracts.support.Chain.u96;
import static dev.cortado.devnet.contracts.support.Market.COMMIT;
import static dev.cortado.devnet.contracts.support.Market.FINAL;
import static dev.cortado.devnet.contracts.support.Market.NOT_OPEN;
import static dev.cortado.devnet.contracts.support.Market.RESOLUTION;
import static dev.cortado.devnet.contracts.support.Market.REVEAL;
import static dev.cortado.devnet.contracts.support.Market.WINDOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.ReentrantBeneficiary;
import dev.cortado.contracts.generated.RejectingAccount;
import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Market;
import dev.cortado.devnet.contracts.support.OnAnvil;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The review's griefing findings against the marketplace, on Anvil: bid-slot spam, selective
 * reveal, commitments replayed across deployments, phase edges, the pro-rata split's rounding,
 * the settled-bid bitmap at the cap, reentrancy, and the checked narrowing casts.
 */
class MarketplaceGriefingTest extends OnAnvil {
    private static final String BEN_1 = "0x0000000000000000000000000000000000000e01";
    private static final String BEN_2 = "0x0000000000000000000000000000000000000e02";
    private static final String BEN_3 = "0x0000000000000000000000000000000000000e03";

    @Test
    void spamPaysAFeeThatDoublesAndLocksAtLeastTheBondAndTheBitmapHoldsAtTheCap() throws Exception {
        // 256 bids, the most a window takes; a 60-slot commit phase so all fit.
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 256, 100, 1, 72, 60);
        SequencingMarketplace m = mk.m();
        mk.register(owner, 1, owner, 0, SEQ_X, BEN_1);
        ok(mk.as(x).deposit(n(1_000_000)));
        assertEquals(n(1), m.commitFeeOf(n(31)).send());
        assertEquals(n(2), m.commitFeeOf(n(32)).send());
        assertEquals(n(128), m.commitFeeOf(n(255)).send());
        mk.clock().goToSlot(6); // window 1 commits in slots 6-65
        // The finding's 1-wei collateral is refused.
        assertReverts(l1, x, m, mk.as(x).commitBid(n(WINDOW), salt(1), n(1), BigInteger.ZERO),
                error("SequencingMarketplace__CollateralBelowBond(uint96,uint96)", u96(n(1)), u96(n(100))));
        SequencingMarketplace byX = mk.as(x);
        for (int i = 0; i < 256; i++) {
            ok(byX.commitBid(n(WINDOW), salt(1_000 + i), n(100), BigInteger.ZERO));
        }
        assertReverts(l1, y, m, mk.as(y).commitBid(n(WINDOW), salt(1), n(100), BigInteger.ZERO),
                error("SequencingMarketplace__WindowBidCap(uint64,uint256)", u64(WINDOW), u(256)));
        // Filling the window cost 32 * (1 + 2 + ... + 128) = 8,160 in fees, against 1 for the first honest bid.
        long locked = 256 * 100 + 8_160;
        assertEquals(n(1_000_000 - locked), m.freeBalanceOf(x.getAddress()).send());

        mk.clock().goToSlot(70); // final from slot 70, two slots before window 1 starts
        ok(m.settleBid(n(WINDOW), n(255)));
        ok(m.settleBid(n(WINDOW), n(254)));
        assertReverts(l1, x, m, m.settleBid(n(WINDOW), n(255)),
                error("SequencingMarketplace__AlreadySettled(uint64,uint32)", u64(WINDOW), u32(255)));
        assertTrue(m.bidOf(n(WINDOW), n(255)).send().component4());
        assertTrue(m.bidOf(n(WINDOW), n(254)).send().component4());
        assertFalse(m.bidOf(n(WINDOW), n(253)).send().component4());
        assertFalse(m.bidOf(n(WINDOW), n(0)).send().component4());
        // Unrevealed: the whole collateral and the fee go to the treasury.
        assertEquals(n(2 * 100 + 2 * 128), m.proceedsOf(treasury.getAddress()).send());
    }

    @Test
    void selectiveRevealCostsMoreThanRevealingEverything() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        SequencingMarketplace m = mk.m();
        mk.register(owner, 1, owner, 1_000, SEQ_Y, BEN_1);
        ok(mk.as(x).deposit(n(100_000)));
        ok(mk.as(y).deposit(n(100_000)));
        mk.clock().goToSlot(3);
        // x hedges: a high and a low bid on the same bundle; y bids 1,200.
        int high = mk.commit(x, bundle(0), 5_000, SEQ_X, 1, 5_100);
        int low = mk.commit(x, bundle(0), 1_500, SEQ_X, 2, 1_600);
        int rival = mk.commit(y, bundle(0), 1_200, SEQ_Y, 3, 1_300);
        mk.clock().goToSlot(6);
        mk.reveal(y, rival, bundle(0), 1_200, SEQ_Y, 3);
        // Having seen the rival, x reveals only the cheapest bid that still wins.
        mk.reveal(x, low, bundle(0), 1_500, SEQ_X, 2);
        mk.clock().goToSlot(8);
        ok(m.submitAllocation(n(WINDOW), List.of(n(low))));
        mk.clock().goToSlot(10);
        for (int id : new int[] {high, low, rival}) {
            ok(m.settleBid(n(WINDOW), n(id)));
        }
        assertEquals(SEQ_X, m.winnerOf(n(WINDOW), n(1)).send());
        long spent = 100_000 - m.freeBalanceOf(x.getAddress()).send().longValueExact();
        // 1,500 paid + 5,100 forfeited + fees, where revealing both would have cost 5,000 + fees.
        assertEquals(1_500 + 5_100 + 20, spent);
        assertTrue(spent > 5_000 + 20, "selective reveal must not pay");
    }

    @Test
    void aCommitmentIsBoundToItsMarketAndChain() throws Exception {
        Market one = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        Market two = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        one.register(owner, 1, owner, 10, SEQ_Y, BEN_1);
        two.register(owner, 1, owner, 10, SEQ_Y, BEN_1);
        byte[] forOne = one.commitmentOf(x, bundle(0), 500, SEQ_X, 7);
        byte[] forTwo = two.commitmentOf(x, bundle(0), 500, SEQ_X, 7);
        assertNotEquals(Numeric.toHexString(forOne), Numeric.toHexString(forTwo));
        assertEquals(Numeric.toHexString(forTwo), Numeric.toHexString(
                two.m().bidCommitment(n(WINDOW), x.getAddress(), bundle(0), n(500), SEQ_X, salt(7)).send()));
        ok(two.as(x).deposit(n(10_000)));
        // Both markets share the clock's genesis to within a few seconds: slot 3 is commit in both.
        two.clock().goToSlot(3);
        ok(two.as(x).commitBid(n(WINDOW), forOne, n(1_000), BigInteger.ZERO));
        two.clock().goToSlot(6);
        assertReverts(l1, x, two.m(), two.as(x).revealBid(n(WINDOW), n(0), bundle(0), n(500), SEQ_X, salt(7)),
                error("SequencingMarketplace__RevealMismatch(uint64,uint32,bytes32,bytes32)", u64(WINDOW), u32(0),
                        b32(forOne), b32(forTwo)));
    }

    @Test
    void everyPhaseEndsAfterItsLastSecond() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        SequencingMarketplace m = mk.m();
        mk.register(owner, 1, owner, 10, SEQ_Y, BEN_1);
        ok(mk.as(x).deposit(n(10_000)));
        SequencingMarketplace byX = mk.as(x);
        byte[] c = mk.commitmentOf(x, bundle(0), 500, SEQ_X, 1);
        mk.clock().goToSecond(35); // last second before commit
        assertReverts(l1, x, m, byX.commitBid(n(WINDOW), c, n(1_000), BigInteger.ZERO), wrongPhase(WINDOW, COMMIT, NOT_OPEN));
        mk.clock().nextBlockAt(71); // last second of commit
        ok(byX.commitBid(n(WINDOW), c, n(1_000), BigInteger.ZERO));
        mk.clock().goToSecond(72);
        assertReverts(l1, x, m, byX.commitBid(n(WINDOW), c, n(1_000), BigInteger.ZERO), wrongPhase(WINDOW, COMMIT, REVEAL));
        mk.clock().nextBlockAt(95); // last second of reveal
        mk.reveal(x, 0, bundle(0), 500, SEQ_X, 1);
        mk.clock().goToSecond(96);
        assertReverts(l1, x, m, byX.revealBid(n(WINDOW), n(0), bundle(0), n(500), SEQ_X, salt(1)),
                wrongPhase(WINDOW, REVEAL, RESOLUTION));
        mk.clock().nextBlockAt(119); // last second of resolution
        ok(m.submitAllocation(n(WINDOW), List.of(n(0))));
        assertReverts(l1, x, m, m.winnerOf(n(WINDOW), n(1)), wrongPhase(WINDOW, FINAL, RESOLUTION));
        // The resolution deadline is the finality gap's first second, two slots before the window starts: the
        // result is final (readable, settleable) while window 0 still runs.
        mk.clock().goToSecond(120);
        assertReverts(l1, x, m, m.submitAllocation(n(WINDOW), List.of(n(0))), wrongPhase(WINDOW, RESOLUTION, FINAL));
        assertEquals(SEQ_X, m.winnerOf(n(WINDOW), n(1)).send());
        assertEquals(n(WINDOW - 1), m.currentWindow().send());
        assertEquals(n(FINAL), m.phaseOf(n(WINDOW)).send());
        assertTrue(m.resultOf(n(WINDOW)).send().component3(), "final before the window opens");
        mk.clock().nextBlockAt(143); // last second of the gap
        assertReverts(l1, x, m, m.submitAllocation(n(WINDOW), List.of(n(0))), wrongPhase(WINDOW, RESOLUTION, FINAL));
        mk.clock().goToSecond(144);
        assertEquals(n(WINDOW), m.currentWindow().send());
        assertEquals(SEQ_X, m.winnerOf(n(WINDOW), n(1)).send(), "the same winner once the window runs");
    }

    @Test
    void theProRataSplitRoundsDownAndTheHighestIndexTakesTheRemainder() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        SequencingMarketplace m = mk.m();
        List<String> bens = new ArrayList<>();
        long[] reserves = {1, 1, 1, 0, 0, 0, 1, 2};
        for (int i = 0; i < reserves.length; i++) {
            String ben = String.format("0x%040x", 0xf00 + i);
            bens.add(ben);
            mk.register(owner, 50 + i, owner, reserves[i], SEQ_Y, ben);
        }
        ok(mk.as(x).deposit(n(100_000)));
        mk.clock().goToSlot(3);
        int equalReserves = mk.commit(x, bundle(0, 1, 2), 1_000, SEQ_X, 1, 1_100);
        int zeroReserves = mk.commit(x, bundle(3, 4, 5), 1_001, SEQ_X, 2, 1_101);
        int oneToTwo = mk.commit(x, bundle(6, 7), 100, SEQ_X, 3, 200);
        mk.clock().goToSlot(6);
        mk.reveal(x, equalReserves, bundle(0, 1, 2), 1_000, SEQ_X, 1);
        mk.reveal(x, zeroReserves, bundle(3, 4, 5), 1_001, SEQ_X, 2);
        mk.reveal(x, oneToTwo, bundle(6, 7), 100, SEQ_X, 3);
        mk.clock().goToSlot(8);
        ok(m.submitAllocation(n(WINDOW), List.of(n(0), n(1), n(2))));
        mk.clock().goToSlot(10);
        for (int id = 0; id < 3; id++) {
            ok(m.settleBid(n(WINDOW), n(id)));
        }
        long[] expected = {333, 333, 334, 333, 333, 335, 33, 67};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(n(expected[i]), m.proceedsOf(bens.get(i)).send(), "beneficiary of index " + i);
        }
    }

    @Test
    void aReentrantBeneficiaryMeetsTheGuardAndIsPaidOnce() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        SequencingMarketplace m = mk.m();
        ReentrantBeneficiary attacker = ReentrantBeneficiary.deploy(l1.web3j(), tm(l1, owner), GAS,
                m.getContractAddress()).send();
        mk.register(owner, 1, owner, 1_000, SEQ_Y, attacker.getContractAddress());
        ok(mk.as(x).deposit(n(10_000)));
        mk.clock().goToSlot(3);
        int bid = mk.commit(x, bundle(0), 2_500, SEQ_X, 1, 5_000);
        mk.clock().goToSlot(6);
        mk.reveal(x, bid, bundle(0), 2_500, SEQ_X, 1);
        mk.clock().goToSlot(8);
        ok(mk.as(x).submitAllocation(n(WINDOW), List.of(n(bid))));
        mk.clock().goToSlot(10);
        ok(m.settleBid(n(WINDOW), n(bid)));

        ok(attacker.attack());
        var outcome = attacker.outcome().send();
        assertEquals(n(2_500), outcome.component1());
        assertEquals(BigInteger.ONE, outcome.component2());
        assertFalse(outcome.component3());
        // The guard's own error: with the guard removed the re-entry would meet NothingToWithdraw instead.
        assertEquals(error("ReentrancyGuardReentrantCall()"), Numeric.toHexString(outcome.component4()));
        assertReverts(l1, owner, attacker, attacker.attack(), error(
                "SequencingMarketplace__NothingToWithdraw(address)", addr(attacker.getContractAddress())));
    }

    @Test
    void unpayableAccountsRevertAndEscrowAmountsAreCheckedCasts() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        SequencingMarketplace m = mk.m();
        RejectingAccount account = RejectingAccount.deploy(l1.web3j(), tm(l1, owner), GAS).send();
        String who = account.getContractAddress();
        String market = m.getContractAddress();
        ok(account.forward(market, StakeTableTest.data(m.deposit(n(1_000))), n(1_000)));
        ok(account.forward(market, StakeTableTest.data(m.requestWithdrawal(n(1_000))), BigInteger.ZERO));
        l1.travel(50);
        assertReverts(l1, owner, account, account.forward(market, StakeTableTest.data(m.withdraw()), BigInteger.ZERO),
                error("SequencingMarketplace__TransferFailed(address,uint256)", addr(who), u(1_000)));

        // A pending withdrawal beyond uint128 is refused, not truncated.
        Credentials whale = l1.accounts().get(5);
        BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        Web3jService rpc = new HttpService(l1.rpcUrl());
        VoidResponse set = new Request<>("anvil_setBalance", List.of(whale.getAddress(),
                Numeric.toHexStringWithPrefix(two128.shiftLeft(12))), rpc, VoidResponse.class).send();
        assertFalse(set.hasError(), () -> "anvil_setBalance: " + set.getError().getMessage());
        assertEquals(two128.shiftLeft(12), dev.cortado.devnet.contracts.support.Chain.balance(l1, whale.getAddress()));
        SequencingMarketplace byWhale = mk.as(whale);
        // Anvil's pool refuses a value of 2^128 in one transaction, so the whale deposits it in halves.
        ok(byWhale.deposit(two128.shiftRight(1)));
        ok(byWhale.deposit(two128.shiftRight(1)));
        assertEquals(two128, m.freeBalanceOf(whale.getAddress()).send());
        ok(byWhale.requestWithdrawal(two128.subtract(BigInteger.ONE)));
        assertReverts(l1, whale, m, byWhale.requestWithdrawal(n(1)),
                error("SafeCastOverflowedUintDowncast(uint8,uint256)", u8(128), u(two128)));
    }
}
