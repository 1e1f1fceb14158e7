package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Auction.bundle;
import static dev.cortado.devnet.contracts.support.Auction.commitment;
import static dev.cortado.devnet.contracts.support.Auction.salt;
import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.selector;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u32;
import static dev.cortado.devnet.contracts.support.Chain.u64;
import static dev.cortado.devnet.contracts.support.Chain.u8;
import static dev.cortado.devnet.contracts.support.Chain.u96;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.ReentrantBeneficiary;
import dev.cortado.contracts.generated.RejectingAccount;
import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.codec.Keccak;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * SequencingMarketplace.sol on a live Anvil. The slot clock is driven by Anvil time travel: 12 s
 * slots, 10-slot windows; window 1's auction commits in slots 3-5, reveals in 6-7, resolves in
 * 8-9, and the window starts at slot 10.
 */
class SequencingMarketplaceTest {
    private static final long SLOT_SECONDS = 12;
    private static final long WINDOW = 1;
    private static final long NS_A = 100;
    private static final long NS_B = 200;
    private static final long NS_C = 300;
    private static final int COMMIT = 1;
    private static final int REVEAL = 2;
    private static final int RESOLUTION = 3;
    private static final int FINAL = 4;
    private static final int NOT_OPEN = 0;

    private static L1Devnet l1;
    private static Credentials operator;
    private static Credentials x;
    private static Credentials y;
    private static Credentials z;
    private static Credentials treasury;
    private static String benA;
    private static String benB;
    private static String benC;
    private static String defA;
    private static String defB;
    private static String defC;
    private static String seqX;
    private static String seqY;
    private static String seqZ;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        operator = l1.accounts().get(0);
        x = l1.accounts().get(1);
        y = l1.accounts().get(2);
        z = l1.accounts().get(3);
        treasury = l1.accounts().get(9);
        benA = "0x00000000000000000000000000000000000000a1";
        benB = "0x00000000000000000000000000000000000000b1";
        benC = "0x00000000000000000000000000000000000000c1";
        defA = "0x00000000000000000000000000000000000000a2";
        defB = "0x00000000000000000000000000000000000000b2";
        defC = "0x00000000000000000000000000000000000000c2";
        seqX = "0x0000000000000000000000000000000000000011";
        seqY = "0x0000000000000000000000000000000000000022";
        seqZ = "0x0000000000000000000000000000000000000033";
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private record Market(SequencingMarketplace m, Auction clock) {
        SequencingMarketplace as(Credentials who) {
            return SequencingMarketplace.load(m.getContractAddress(), l1.web3j(), tm(l1, who), GAS);
        }
    }

    private static Market deploy(long maxBidsPerWindow, long maxBidsPerBidder) throws Exception {
        long genesis = l1.latestTimestampSec();
        var p = Auction.params(genesis, SLOT_SECONDS, 10, 3, 2, 2, 50, maxBidsPerWindow, maxBidsPerBidder,
                treasury.getAddress());
        var m = SequencingMarketplace.deploy(l1.web3j(), tm(l1, operator), GAS, p).send();
        return new Market(m, new Auction(l1, genesis, SLOT_SECONDS));
    }

    private static BigInteger n(long v) {
        return BigInteger.valueOf(v);
    }

    private static void registerThree(Market mk) {
        ok(mk.m().registerRollup(n(NS_A), n(1_000), defA, benA));
        ok(mk.m().registerRollup(n(NS_B), n(3_000), defB, benB));
        ok(mk.m().registerRollup(n(NS_C), n(500), defC, benC));
    }

    private static int commit(Market mk, Credentials who, BigInteger bundle, long amount, String seq, int saltId,
            long collateral) {
        TransactionReceipt r = ok(mk.as(who).commitBid(n(WINDOW),
                commitment(WINDOW, who.getAddress(), bundle, n(amount), seq, salt(saltId)), n(collateral)));
        return SequencingMarketplace.getBidCommittedEvents(r).getFirst().bidId.intValueExact();
    }

    private static void reveal(Market mk, Credentials who, int bidId, BigInteger bundle, long amount, String seq,
            int saltId) {
        ok(mk.as(who).revealBid(n(WINDOW), n(bidId), bundle, n(amount), seq, salt(saltId)));
    }

    private static String wrongPhase(long window, int expected, int actual) {
        return error("SequencingMarketplace__WrongPhase(uint64,uint8,uint8)", u64(window), u8(expected), u8(actual));
    }

    @Test
    void runsAWholeAuctionThroughItsPhases() throws Exception {
        Market mk = deploy(8, 2);
        SequencingMarketplace m = mk.m();
        registerThree(mk);
        assertEquals(n(3), m.rollupCount().send());
        assertEquals(n(WINDOW), m.rollupOf(n(0)).send().component3());
        for (Credentials c : List.of(x, y, z)) {
            ok(mk.as(c).deposit(n(100_000)));
        }
        var schedule = m.scheduleOf(n(WINDOW)).send();
        assertEquals(List.of(n(3), n(6), n(8), n(10)),
                List.of(schedule.component1(), schedule.component2(), schedule.component3(), schedule.component4()));
        assertEquals(n(NOT_OPEN), m.phaseOf(n(WINDOW)).send());
        assertReverts(l1, x, m, mk.as(x).commitBid(n(WINDOW), salt(1), n(10)), wrongPhase(WINDOW, COMMIT, NOT_OPEN));

        mk.clock().goToSlot(3);
        assertEquals(n(COMMIT), m.phaseOf(n(WINDOW)).send());
        BigInteger ab = bundle(0, 1);
        int bid0 = commit(mk, x, ab, 6_000, seqX, 0, 10_000);
        int bid1 = commit(mk, y, bundle(0), 2_000, seqY, 1, 3_000);
        int bid2 = commit(mk, z, bundle(2), 400, seqZ, 2, 1_000);
        int bid3 = commit(mk, z, bundle(1), 3_500, seqZ, 3, 4_000);
        // Its commitment claims more than its collateral, so it can never be revealed: it forfeits.
        int bid4 = commit(mk, x, bundle(2), 3_000, seqX, 4, 2_000);
        assertEquals(List.of(0, 1, 2, 3, 4), List.of(bid0, bid1, bid2, bid3, bid4));
        assertArrayEquals(commitment(WINDOW, x.getAddress(), ab, n(6_000), seqX, salt(0)),
                m.bidCommitment(n(WINDOW), x.getAddress(), ab, n(6_000), seqX, salt(0)).send());
        assertEquals(n(100_000 - 12_000), m.freeBalanceOf(x.getAddress()).send());
        assertReverts(l1, z, m, mk.as(z).commitBid(n(WINDOW), salt(9), n(10)),
                error("SequencingMarketplace__BidderBidCap(uint64,address,uint256)", u64(WINDOW),
                        addr(z.getAddress()), u(2)));
        assertReverts(l1, y, m, mk.as(y).commitBid(n(WINDOW), salt(9), n(1_000_000)),
                error("SequencingMarketplace__InsufficientBalance(uint256,uint256)", u(97_000), u(1_000_000)));
        assertReverts(l1, y, m, mk.as(y).commitBid(n(WINDOW), new byte[32], n(10)),
                error("SequencingMarketplace__EmptyCommitment()"));
        assertReverts(l1, y, m, mk.as(y).commitBid(n(WINDOW), salt(9), n(0)),
                error("SequencingMarketplace__ZeroCollateral()"));
        assertReverts(l1, y, m, mk.as(y).revealBid(n(WINDOW), n(bid1), bundle(0), n(2_000), seqY, salt(1)),
                wrongPhase(WINDOW, REVEAL, COMMIT));

        mk.clock().goToSlot(6);
        assertEquals(n(REVEAL), m.phaseOf(n(WINDOW)).send());
        assertReverts(l1, y, m, mk.as(y).commitBid(n(WINDOW), salt(9), n(10)), wrongPhase(WINDOW, COMMIT, REVEAL));
        reveal(mk, x, bid0, ab, 6_000, seqX, 0);
        reveal(mk, y, bid1, bundle(0), 2_000, seqY, 1);
        reveal(mk, z, bid2, bundle(2), 400, seqZ, 2);
        // A reveal that does not match its commit (another amount) is refused.
        byte[] expected = commitment(WINDOW, z.getAddress(), bundle(1), n(3_500), seqZ, salt(3));
        byte[] got = commitment(WINDOW, z.getAddress(), bundle(1), n(3_400), seqZ, salt(3));
        assertReverts(l1, z, m, mk.as(z).revealBid(n(WINDOW), n(bid3), bundle(1), n(3_400), seqZ, salt(3)),
                error("SequencingMarketplace__RevealMismatch(uint64,uint32,bytes32,bytes32)", u64(WINDOW), u32(bid3),
                        b32(expected), b32(got)));
        reveal(mk, z, bid3, bundle(1), 3_500, seqZ, 3);
        assertReverts(l1, z, m, mk.as(z).revealBid(n(WINDOW), n(bid3), bundle(1), n(3_500), seqZ, salt(3)),
                error("SequencingMarketplace__AlreadyRevealed(uint64,uint32)", u64(WINDOW), u32(bid3)));
        assertReverts(l1, y, m, mk.as(y).revealBid(n(WINDOW), n(bid0), ab, n(6_000), seqX, salt(0)),
                error("SequencingMarketplace__NotBidder(uint64,uint32,address)", u64(WINDOW), u32(bid0),
                        addr(y.getAddress())));
        assertReverts(l1, x, m, mk.as(x).revealBid(n(WINDOW), n(bid4), bundle(2), n(3_000), seqX, salt(4)),
                error("SequencingMarketplace__AmountExceedsCollateral(uint96,uint96)", u96(n(3_000)), u96(n(2_000))));
        assertReverts(l1, x, m, mk.as(x).revealBid(n(WINDOW), n(7), bundle(2), n(3_000), seqX, salt(4)),
                error("SequencingMarketplace__UnknownBid(uint64,uint256)", u64(WINDOW), u(7)));
        var revealed = m.bidOf(n(WINDOW), n(bid3)).send();
        assertTrue(revealed.component3());
        assertEquals(bundle(1), revealed.component5());
        assertEquals(seqZ, revealed.component7());

        mk.clock().goToSlot(8);
        assertEquals(n(RESOLUTION), m.phaseOf(n(WINDOW)).send());
        // A late reveal.
        assertReverts(l1, x, m, mk.as(x).revealBid(n(WINDOW), n(bid4), bundle(2), n(3_000), seqX, salt(4)),
                wrongPhase(WINDOW, REVEAL, RESOLUTION));
        // Overlapping bundles, an unmet reserve, an unrevealed bid, bad ordering, nothing at all.
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid0), n(bid1))),
                error("SequencingMarketplace__OverlappingBundles(uint32,uint256)", u32(bid1), u(1)));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid2))),
                error("SequencingMarketplace__ReserveNotMet(uint32,uint256,uint256)", u32(bid2), u(400), u(500)));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid4))),
                error("SequencingMarketplace__BidNotRevealed(uint64,uint32)", u64(WINDOW), u32(bid4)));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid3), n(bid1))),
                error("SequencingMarketplace__AllocationNotSorted(uint32,uint32)", u32(bid3), u32(bid1)));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of()),
                error("SequencingMarketplace__EmptyAllocation()"));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(0), n(1), n(2), n(3), n(4), n(5),
                n(6), n(7), n(8))), error("SequencingMarketplace__AllocationTooLarge(uint256,uint256)", u(9), u(8)));

        TransactionReceipt first = ok(mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid1), n(bid3))));
        assertEquals(n(5_500), SequencingMarketplace.getAllocationImprovedEvents(first).getFirst().revenue);
        ok(mk.as(z).submitAllocation(n(WINDOW), List.of(n(bid0))));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid1), n(bid3))),
                error("SequencingMarketplace__NotBetter(uint256,uint256)", u(5_500), u(6_000)));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid0))),
                error("SequencingMarketplace__NotBetter(uint256,uint256)", u(6_000), u(6_000)));
        assertReverts(l1, x, m, m.winnerOf(n(WINDOW), n(NS_A)), wrongPhase(WINDOW, FINAL, RESOLUTION));
        assertReverts(l1, x, m, m.settleBid(n(WINDOW), n(bid0)), wrongPhase(WINDOW, FINAL, RESOLUTION));

        mk.clock().goToSlot(10);
        assertEquals(n(WINDOW), m.currentWindow().send());
        assertEquals(n(FINAL), m.phaseOf(n(WINDOW)).send());
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid1), n(bid3))),
                wrongPhase(WINDOW, RESOLUTION, FINAL));
        var result = m.resultOf(n(WINDOW)).send();
        assertEquals(n(6_000), result.component1());
        assertEquals(List.of(n(bid0)), result.component2());
        assertTrue(result.component3());
        assertEquals(seqX, m.winnerOf(n(WINDOW), n(NS_A)).send());
        assertEquals(seqX, m.winnerOf(n(WINDOW), n(NS_B)).send());
        assertEquals(defC, m.winnerOf(n(WINDOW), n(NS_C)).send(), "unsold: the default sequencer");
        assertReverts(l1, x, m, m.winnerOf(n(WINDOW), n(999)),
                error("SequencingMarketplace__UnknownNamespace(uint64)", u64(999)));

        for (int id = 0; id <= 4; id++) {
            ok(m.settleBid(n(WINDOW), n(id)));
        }
        assertReverts(l1, x, m, m.settleBid(n(WINDOW), n(bid0)),
                error("SequencingMarketplace__AlreadySettled(uint64,uint32)", u64(WINDOW), u32(bid0)));
        assertReverts(l1, x, m, m.settleBid(n(WINDOW), n(5)),
                error("SequencingMarketplace__UnknownBid(uint64,uint256)", u64(WINDOW), u(5)));
        // First price, split by reserve 1000:3000; losers refunded; the unrevealed bid forfeits 10%.
        assertEquals(n(1_500), m.proceedsOf(benA).send());
        assertEquals(n(4_500), m.proceedsOf(benB).send());
        assertEquals(n(0), m.proceedsOf(benC).send());
        assertEquals(n(200), m.proceedsOf(treasury.getAddress()).send());
        assertEquals(n(100_000 - 6_000 - 200), m.freeBalanceOf(x.getAddress()).send());
        assertEquals(n(100_000), m.freeBalanceOf(y.getAddress()).send());
        assertEquals(n(100_000), m.freeBalanceOf(z.getAddress()).send());
        var settled = m.bidOf(n(WINDOW), n(bid4)).send();
        assertFalse(settled.component3());
        assertTrue(settled.component4());

        ok(mk.as(treasury).withdrawProceeds());
        assertEquals(n(0), m.proceedsOf(treasury.getAddress()).send());
        assertReverts(l1, treasury, m, mk.as(treasury).withdrawProceeds(),
                error("SequencingMarketplace__NothingToWithdraw(address)", addr(treasury.getAddress())));
    }

    @Test
    void capsBidsAndBreaksTiesOnTheLowerAllocationHash() throws Exception {
        Market mk = deploy(3, 2);
        SequencingMarketplace m = mk.m();
        registerThree(mk);
        ok(mk.as(x).deposit(n(10_000)));
        ok(mk.as(y).deposit(n(10_000)));
        ok(mk.as(z).deposit(n(10_000)));
        mk.clock().goToSlot(3);
        int a = commit(mk, x, bundle(0), 1_000, seqX, 10, 1_000);
        int b = commit(mk, x, bundle(0), 1_000, seqY, 11, 1_000);
        assertReverts(l1, x, m, mk.as(x).commitBid(n(WINDOW), salt(12), n(1)),
                error("SequencingMarketplace__BidderBidCap(uint64,address,uint256)", u64(WINDOW),
                        addr(x.getAddress()), u(2)));
        // A bundle naming an unregistered rollup (index 5) commits fine but can never be allocated.
        int c = commit(mk, y, bundle(0, 5), 9_000, seqY, 13, 9_000);
        assertReverts(l1, z, m, mk.as(z).commitBid(n(WINDOW), salt(14), n(1)),
                error("SequencingMarketplace__WindowBidCap(uint64,uint256)", u64(WINDOW), u(3)));
        assertEquals(n(3), m.bidCount(n(WINDOW)).send());

        mk.clock().goToSlot(6);
        reveal(mk, x, a, bundle(0), 1_000, seqX, 10);
        reveal(mk, x, b, bundle(0), 1_000, seqY, 11);
        reveal(mk, y, c, bundle(0, 5), 9_000, seqY, 13);

        mk.clock().goToSlot(8);
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(c))),
                error("SequencingMarketplace__RollupNotInWindow(uint64,uint256)", u64(WINDOW), u(5)));
        boolean aFirst = Keccak.hash(id(a)).compareTo(Keccak.hash(id(b))) < 0;
        int winner = aFirst ? a : b;
        int loser = aFirst ? b : a;
        ok(mk.as(y).submitAllocation(n(WINDOW), List.of(n(loser))));
        ok(mk.as(y).submitAllocation(n(WINDOW), List.of(n(winner))));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(loser))),
                error("SequencingMarketplace__NotBetter(uint256,uint256)", u(1_000), u(1_000)));
        mk.clock().goToSlot(10);
        assertEquals(winner == a ? seqX : seqY, m.winnerOf(n(WINDOW), n(NS_A)).send());
        assertEquals(defB, m.winnerOf(n(WINDOW), n(NS_B)).send());
    }

    private static byte[] id(int bidId) {
        // abi.encodePacked pads each array element to a full word.
        return ByteBuffer.allocate(32).putInt(28, bidId).array();
    }

    @Test
    void aReentrantBeneficiaryIsPaidExactlyOnce() throws Exception {
        Market mk = deploy(8, 2);
        SequencingMarketplace m = mk.m();
        ReentrantBeneficiary attacker = ReentrantBeneficiary.deploy(l1.web3j(), tm(l1, operator), GAS,
                m.getContractAddress()).send();
        ok(m.registerRollup(n(NS_A), n(1_000), defA, attacker.getContractAddress()));
        ok(mk.as(x).deposit(n(10_000)));
        mk.clock().goToSlot(3);
        int bid = commit(mk, x, bundle(0), 2_500, seqX, 1, 5_000);
        mk.clock().goToSlot(6);
        reveal(mk, x, bid, bundle(0), 2_500, seqX, 1);
        mk.clock().goToSlot(8);
        ok(mk.as(x).submitAllocation(n(WINDOW), List.of(n(bid))));
        mk.clock().goToSlot(10);
        ok(m.settleBid(n(WINDOW), n(bid)));
        assertEquals(n(2_500), m.proceedsOf(attacker.getContractAddress()).send());

        ok(attacker.attack());
        var outcome = attacker.outcome().send();
        assertEquals(n(2_500), outcome.component1());
        assertEquals(BigInteger.ONE, outcome.component2());
        assertFalse(outcome.component3(), "the re-entrant withdrawal must fail");
        assertEquals(n(0), m.proceedsOf(attacker.getContractAddress()).send());
        // A second, plain withdrawal finds nothing.
        assertReverts(l1, operator, attacker, attacker.attack(), error(
                "SequencingMarketplace__NothingToWithdraw(address)", addr(attacker.getContractAddress())));
    }

    @Test
    void escrowWithdrawalsWaitForTheDelayAndTermsChangeOnlyForLaterWindows() throws Exception {
        Market mk = deploy(8, 2);
        SequencingMarketplace m = mk.m();
        registerThree(mk);
        SequencingMarketplace byX = mk.as(x);
        ok(byX.deposit(n(5_000)));
        assertReverts(l1, x, m, byX.requestWithdrawal(n(6_000)),
                error("SequencingMarketplace__InsufficientBalance(uint256,uint256)", u(5_000), u(6_000)));
        assertReverts(l1, x, m, byX.withdraw(),
                error("SequencingMarketplace__NothingToWithdraw(address)", addr(x.getAddress())));
        ok(byX.requestWithdrawal(n(4_000)));
        assertEquals(n(4_000), m.pendingWithdrawalOf(x.getAddress()).send().component1());
        assertReverts(l1, x, m, byX.withdraw(), selector("SequencingMarketplace__WithdrawalLocked(uint64,uint256)"));
        l1.travel(50);
        TransactionReceipt w = ok(byX.withdraw());
        assertEquals(n(4_000), SequencingMarketplace.getWithdrawnEvents(w).getFirst().amountWei);
        assertReverts(l1, x, m, byX.withdraw(),
                error("SequencingMarketplace__NothingToWithdraw(address)", addr(x.getAddress())));
        assertEquals(n(1_000), m.freeBalanceOf(x.getAddress()).send());

        // Registry rules.
        assertReverts(l1, operator, m, m.registerRollup(n(NS_A), n(1), defA, benA),
                error("SequencingMarketplace__NamespaceTaken(uint64,uint8)", u64(NS_A), u8(0)));
        assertReverts(l1, operator, m, m.registerRollup(n(400), n(1), "0x0000000000000000000000000000000000000000",
                benA), error("SequencingMarketplace__ZeroAddress()"));
        assertReverts(l1, x, m, byX.updateRollupTerms(n(0), n(5), defA, benA),
                error("SequencingMarketplace__NotOperator(uint8,address)", u8(0), addr(x.getAddress())));
        assertReverts(l1, operator, m, m.updateRollupTerms(n(7), n(5), defA, benA),
                error("SequencingMarketplace__UnknownRollup(uint256)", u(7)));
        assertEquals(n(2), m.indexOfNamespace(n(NS_C)).send());

        // During window 1's commit phase (slot 5) a new reserve applies from window 2 on.
        mk.clock().goToSlot(5);
        assertEquals(n(2), m.firstOpenWindow().send());
        TransactionReceipt upd = ok(m.updateRollupTerms(n(0), n(7_000), defB, benC));
        assertEquals(n(2), SequencingMarketplace.getRollupTermsUpdatedEvents(upd).getFirst().effectiveWindow);
        assertEquals(n(1_000), m.termsAt(n(0), n(1)).send().component1());
        var later = m.termsAt(n(0), n(2)).send();
        assertEquals(n(7_000), later.component1());
        assertEquals(defB, later.component2());
        assertEquals(benC, later.component3());
        // Bids whose reveal would be meaningless: an empty bundle, no sequencer.
        byte[] empty = commitment(WINDOW, x.getAddress(), BigInteger.ZERO, n(10), seqX, salt(1));
        byte[] noSeq = commitment(WINDOW, x.getAddress(), bundle(0), n(10), "0x0000000000000000000000000000000000000000",
                salt(2));
        ok(byX.commitBid(n(WINDOW), empty, n(10)));
        ok(byX.commitBid(n(WINDOW), noSeq, n(10)));
        mk.clock().goToSlot(6);
        assertReverts(l1, x, m, byX.revealBid(n(WINDOW), n(0), BigInteger.ZERO, n(10), seqX, salt(1)),
                error("SequencingMarketplace__EmptyBundle()"));
        assertReverts(l1, x, m, byX.revealBid(n(WINDOW), n(1), bundle(0), n(10),
                "0x0000000000000000000000000000000000000000", salt(2)), error("SequencingMarketplace__ZeroAddress()"));
        // A second change before window 2's auction replaces the first; a later one appends.
        ok(m.updateRollupTerms(n(0), n(8_000), defA, benA));
        assertEquals(n(8_000), m.termsAt(n(0), n(2)).send().component1());
        mk.clock().goToSlot(14);
        ok(m.updateRollupTerms(n(0), n(9_000), defA, benA));
        assertEquals(n(8_000), m.termsAt(n(0), n(2)).send().component1());
        assertEquals(n(9_000), m.termsAt(n(0), n(3)).send().component1());
        assertEquals(n(1_000), m.termsAt(n(0), n(1)).send().component1());
        assertEquals(n(0), m.termsAt(n(0), n(0)).send().component1());
        // A rollup registered now joins from window 3; in window 2 it is unregistered.
        ok(m.registerRollup(n(500), n(1), defA, benA));
        mk.clock().goToSlot(20);
        assertEquals("0x0000000000000000000000000000000000000000", m.winnerOf(n(2), n(500)).send());
        assertEquals(defA, m.winnerOf(n(2), n(NS_A)).send());
    }

    @Test
    void theRegistryHoldsAtMost256RollupsAndUnpayableAccountsRevert() throws Exception {
        Market mk = deploy(8, 2);
        SequencingMarketplace m = mk.m();
        for (int i = 0; i < 256; i++) {
            ok(m.registerRollup(n(10_000 + i), n(1), defA, benA));
        }
        assertEquals(n(256), m.rollupCount().send());
        assertReverts(l1, operator, m, m.registerRollup(n(99_999), n(1), defA, benA),
                error("SequencingMarketplace__RegistryFull(uint256)", u(256)));

        RejectingAccount account = RejectingAccount.deploy(l1.web3j(), tm(l1, operator), GAS).send();
        String who = account.getContractAddress();
        String market = m.getContractAddress();
        ok(account.forward(market, StakeTableTest.data(m.deposit(n(1_000))), n(1_000)));
        ok(account.forward(market, StakeTableTest.data(m.requestWithdrawal(n(1_000))), BigInteger.ZERO));
        l1.travel(50);
        assertReverts(l1, operator, account, account.forward(market, StakeTableTest.data(m.withdraw()), BigInteger.ZERO),
                error("SequencingMarketplace__TransferFailed(address,uint256)", addr(who), u(1_000)));
    }

    @Test
    void refusesNonsenseParameters() {
        long genesis = l1.latestTimestampSec();
        var zeroSlot = Auction.params(genesis, 0, 10, 3, 2, 2, 50, 8, 2, treasury.getAddress());
        assertThrows(Exception.class,
                () -> SequencingMarketplace.deploy(l1.web3j(), tm(l1, operator), GAS, zeroSlot).send());
        var future = Auction.params(genesis + 10_000, 12, 10, 3, 2, 2, 50, 8, 2, treasury.getAddress());
        assertThrows(Exception.class,
                () -> SequencingMarketplace.deploy(l1.web3j(), tm(l1, operator), GAS, future).send());
    }
}
