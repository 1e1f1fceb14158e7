package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Auction.bundle;
import static dev.cortado.devnet.contracts.support.Auction.salt;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertDeployReverts;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.contracts.support.Market;
import dev.cortado.devnet.contracts.support.OnAnvil;
import dev.cortado.protocol.codec.Keccak;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** SequencingMarketplace.sol on a live Anvil: a whole auction, ties, the escrow, the constructor's checks. */
class SequencingMarketplaceTest extends OnAnvil {
    private static final long NS_A = 100;
    private static final long NS_B = 200;
    private static final long NS_C = 300;
    private static final long NS_D = 400;
    private static final long BOND = 100;
    private static final long FEE = 10;
    static final String BEN_A = "0x00000000000000000000000000000000000000a1";
    static final String BEN_B = "0x00000000000000000000000000000000000000b1";
    static final String BEN_C = "0x00000000000000000000000000000000000000c1";
    static final String DEF_A = "0x00000000000000000000000000000000000000a2";
    static final String DEF_B = "0x00000000000000000000000000000000000000b2";
    static final String DEF_D = "0x00000000000000000000000000000000000000d2";
    static final String SEQ_X = "0x0000000000000000000000000000000000000011";
    static final String SEQ_Y = "0x0000000000000000000000000000000000000022";
    static final String SEQ_Z = "0x0000000000000000000000000000000000000033";

    static String wrongPhase(long window, int expected, int actual) {
        return error("SequencingMarketplace__WrongPhase(uint64,uint8,uint8)", u64(window), u8(expected), u8(actual));
    }

    private void registerFour(Market mk) {
        mk.register(owner, NS_A, owner, 1_000, DEF_A, BEN_A);
        mk.register(owner, NS_B, owner, 3_000, DEF_B, BEN_B);
        mk.register(owner, NS_C, owner, 500, DEF_A, BEN_C);
        mk.register(owner, NS_D, owner, 0, DEF_D, BEN_C);
    }

    @Test
    void runsAWholeAuctionThroughItsPhases() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, BOND, FEE);
        SequencingMarketplace m = mk.m();
        registerFour(mk);
        assertEquals(n(4), m.rollupCount().send());
        assertEquals(n(WINDOW), m.rollupOf(n(0)).send().component3());
        for (Credentials c : List.of(x, y, z)) {
            ok(mk.as(c).deposit(n(100_000)));
        }
        var schedule = m.scheduleOf(n(WINDOW)).send();
        assertEquals(List.of(n(3), n(6), n(8), n(10), n(12)), List.of(schedule.component1(), schedule.component2(),
                schedule.component3(), schedule.component4(), schedule.component5()));
        assertEquals(n(NOT_OPEN), m.phaseOf(n(WINDOW)).send());
        assertReverts(l1, x, m, mk.as(x).commitBid(n(WINDOW), salt(1), n(BOND), BigInteger.ZERO), wrongPhase(WINDOW, COMMIT, NOT_OPEN));

        mk.clock().goToSlot(3);
        BigInteger ab = bundle(0, 1);
        int bid0 = mk.commit(x, ab, 6_000, SEQ_X, 0, 10_000);
        int bid1 = mk.commit(y, bundle(0), 2_000, SEQ_Y, 1, 3_000);
        int bid2 = mk.commit(z, bundle(2), 600, SEQ_Z, 2, 1_000);
        int bid3 = mk.commit(z, bundle(1), 3_500, SEQ_Z, 3, 4_000);
        // Collateral 2,000 cannot cover 3,000 plus the bond: never revealable, it forfeits.
        int bid4 = mk.commit(x, bundle(2), 3_000, SEQ_X, 4, 2_000);
        // 400 is below rollup C's reserve of 500: refused at reveal, it forfeits.
        int bid5 = mk.commit(y, bundle(2), 400, SEQ_Y, 5, 1_000);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), List.of(bid0, bid1, bid2, bid3, bid4, bid5));
        assertArrayEquals(mk.commitmentOf(x, ab, 6_000, SEQ_X, 0),
                m.bidCommitment(n(WINDOW), x.getAddress(), ab, n(6_000), SEQ_X, salt(0)).send());
        // Collateral and the commit fee leave the free balance.
        assertEquals(n(100_000 - 10_010 - 2_010), m.freeBalanceOf(x.getAddress()).send());
        assertReverts(l1, y, m, mk.as(y).commitBid(n(WINDOW), salt(9), n(1_000_000), BigInteger.ZERO),
                error("SequencingMarketplace__InsufficientBalance(uint256,uint256)", u(95_980), u(1_000_010)));
        assertReverts(l1, y, m, mk.as(y).commitBid(n(WINDOW), new byte[32], n(BOND), BigInteger.ZERO),
                error("SequencingMarketplace__EmptyCommitment()"));
        assertReverts(l1, y, m, mk.as(y).revealBid(n(WINDOW), n(bid1), bundle(0), n(2_000), SEQ_Y, salt(1)),
                wrongPhase(WINDOW, REVEAL, COMMIT));

        mk.clock().goToSlot(6);
        assertReverts(l1, y, m, mk.as(y).commitBid(n(WINDOW), salt(9), n(BOND), BigInteger.ZERO), wrongPhase(WINDOW, COMMIT, REVEAL));
        mk.reveal(x, bid0, ab, 6_000, SEQ_X, 0);
        mk.reveal(y, bid1, bundle(0), 2_000, SEQ_Y, 1);
        mk.reveal(z, bid2, bundle(2), 600, SEQ_Z, 2);
        byte[] expected = mk.commitmentOf(z, bundle(1), 3_500, SEQ_Z, 3);
        byte[] got = mk.commitmentOf(z, bundle(1), 3_400, SEQ_Z, 3);
        assertReverts(l1, z, m, mk.as(z).revealBid(n(WINDOW), n(bid3), bundle(1), n(3_400), SEQ_Z, salt(3)),
                error("SequencingMarketplace__RevealMismatch(uint64,uint32,bytes32,bytes32)", u64(WINDOW), u32(bid3),
                        b32(expected), b32(got)));
        mk.reveal(z, bid3, bundle(1), 3_500, SEQ_Z, 3);
        assertReverts(l1, z, m, mk.as(z).revealBid(n(WINDOW), n(bid3), bundle(1), n(3_500), SEQ_Z, salt(3)),
                error("SequencingMarketplace__AlreadyRevealed(uint64,uint32)", u64(WINDOW), u32(bid3)));
        assertReverts(l1, y, m, mk.as(y).revealBid(n(WINDOW), n(bid0), ab, n(6_000), SEQ_X, salt(0)),
                error("SequencingMarketplace__NotBidder(uint64,uint32,address)", u64(WINDOW), u32(bid0),
                        addr(y.getAddress())));
        assertReverts(l1, x, m, mk.as(x).revealBid(n(WINDOW), n(bid4), bundle(2), n(3_000), SEQ_X, salt(4)),
                error("SequencingMarketplace__CollateralBelowAmountPlusBond(uint32,uint256,uint256)", u32(bid4),
                        u(2_000), u(3_100)));
        assertReverts(l1, y, m, mk.as(y).revealBid(n(WINDOW), n(bid5), bundle(2), n(400), SEQ_Y, salt(5)),
                error("SequencingMarketplace__ReserveNotMet(uint32,uint256,uint256)", u32(bid5), u(400), u(500)));
        assertReverts(l1, x, m, mk.as(x).revealBid(n(WINDOW), n(7), bundle(2), n(3_000), SEQ_X, salt(4)),
                error("SequencingMarketplace__UnknownBid(uint64,uint256)", u64(WINDOW), u(7)));
        var revealed = m.bidOf(n(WINDOW), n(bid3)).send();
        assertTrue(revealed.component3());
        assertEquals(bundle(1), revealed.component5());
        assertEquals(SEQ_Z, revealed.component7());

        mk.clock().goToSlot(8);
        assertReverts(l1, x, m, mk.as(x).revealBid(n(WINDOW), n(bid4), bundle(2), n(3_000), SEQ_X, salt(4)),
                wrongPhase(WINDOW, REVEAL, RESOLUTION));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid0), n(bid1))),
                error("SequencingMarketplace__OverlappingBundles(uint32,uint256)", u32(bid1), u(1)));
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
        ok(mk.as(z).submitAllocation(n(WINDOW), List.of(n(bid0), n(bid2))));
        assertReverts(l1, x, m, m.winnerOf(n(WINDOW), n(NS_A)), wrongPhase(WINDOW, FINAL, RESOLUTION));
        assertReverts(l1, x, m, m.settleBid(n(WINDOW), n(bid0)), wrongPhase(WINDOW, FINAL, RESOLUTION));

        // Slot 10: resolution is over two slots before window 1 starts; its result is final and readable already.
        mk.clock().goToSlot(10);
        assertEquals(n(WINDOW - 1), m.currentWindow().send());
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(bid1), n(bid3))),
                wrongPhase(WINDOW, RESOLUTION, FINAL));
        var result = m.resultOf(n(WINDOW)).send();
        assertEquals(n(6_600), result.component1());
        assertEquals(List.of(n(bid0), n(bid2)), result.component2());
        assertTrue(result.component3());
        assertEquals(SEQ_X, m.winnerOf(n(WINDOW), n(NS_A)).send());
        assertEquals(SEQ_X, m.winnerOf(n(WINDOW), n(NS_B)).send());
        assertEquals(SEQ_Z, m.winnerOf(n(WINDOW), n(NS_C)).send());
        assertEquals(DEF_D, m.winnerOf(n(WINDOW), n(NS_D)).send(), "unsold: the default sequencer");
        assertReverts(l1, x, m, m.winnerOf(n(WINDOW), n(999)),
                error("SequencingMarketplace__UnknownNamespace(uint64)", u64(999)));

        for (int id = 0; id <= 5; id++) {
            ok(m.settleBid(n(WINDOW), n(id)));
        }
        assertReverts(l1, x, m, m.settleBid(n(WINDOW), n(bid0)),
                error("SequencingMarketplace__AlreadySettled(uint64,uint32)", u64(WINDOW), u32(bid0)));
        assertReverts(l1, x, m, m.settleBid(n(WINDOW), n(6)),
                error("SequencingMarketplace__UnknownBid(uint64,uint256)", u64(WINDOW), u(6)));
        // First price, split by reserve 1000:3000; losers refunded; unrevealed bids forfeit everything.
        assertEquals(n(1_500), m.proceedsOf(BEN_A).send());
        assertEquals(n(4_500), m.proceedsOf(BEN_B).send());
        assertEquals(n(600), m.proceedsOf(BEN_C).send());
        assertEquals(n(6 * FEE + 2_000 + 1_000), m.proceedsOf(treasury.getAddress()).send());
        assertEquals(n(100_000 - 6_000 - 2_000 - 2 * FEE), m.freeBalanceOf(x.getAddress()).send());
        assertEquals(n(100_000 - 1_000 - 2 * FEE), m.freeBalanceOf(y.getAddress()).send());
        assertEquals(n(100_000 - 600 - 2 * FEE), m.freeBalanceOf(z.getAddress()).send());
        var settled = m.bidOf(n(WINDOW), n(bid4)).send();
        assertFalse(settled.component3());
        assertTrue(settled.component4());

        ok(mk.as(treasury).withdrawProceeds());
        assertEquals(n(0), m.proceedsOf(treasury.getAddress()).send());
        assertReverts(l1, treasury, m, mk.as(treasury).withdrawProceeds(),
                error("SequencingMarketplace__NothingToWithdraw(address)", addr(treasury.getAddress())));
    }

    @Test
    void capsBidsPerWindowAndBreaksTiesOnTheLowerAllocationHash() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 3, BOND, FEE);
        SequencingMarketplace m = mk.m();
        registerFour(mk);
        for (Credentials c : List.of(x, y, z)) {
            ok(mk.as(c).deposit(n(20_000)));
        }
        mk.clock().goToSlot(3);
        int a = mk.commit(x, bundle(0), 1_000, SEQ_X, 10, 1_100);
        int b = mk.commit(x, bundle(0), 1_000, SEQ_Y, 11, 1_100);
        // A bundle naming an index nobody holds (5) commits but cannot be revealed.
        int c = mk.commit(y, bundle(0, 5), 9_000, SEQ_Y, 13, 9_100);
        assertReverts(l1, z, m, mk.as(z).commitBid(n(WINDOW), salt(14), n(BOND), BigInteger.ZERO),
                error("SequencingMarketplace__WindowBidCap(uint64,uint256)", u64(WINDOW), u(3)));
        assertEquals(n(3), m.bidCount(n(WINDOW)).send());

        mk.clock().goToSlot(6);
        mk.reveal(x, a, bundle(0), 1_000, SEQ_X, 10);
        mk.reveal(x, b, bundle(0), 1_000, SEQ_Y, 11);
        assertReverts(l1, y, m, mk.as(y).revealBid(n(WINDOW), n(c), bundle(0, 5), n(9_000), SEQ_Y, salt(13)),
                error("SequencingMarketplace__RollupNotInWindow(uint64,uint256)", u64(WINDOW), u(5)));

        mk.clock().goToSlot(8);
        boolean aFirst = Keccak.hash(id(a)).compareTo(Keccak.hash(id(b))) < 0;
        int winner = aFirst ? a : b;
        int loser = aFirst ? b : a;
        ok(mk.as(y).submitAllocation(n(WINDOW), List.of(n(loser))));
        ok(mk.as(y).submitAllocation(n(WINDOW), List.of(n(winner))));
        assertReverts(l1, y, m, mk.as(y).submitAllocation(n(WINDOW), List.of(n(loser))),
                error("SequencingMarketplace__NotBetter(uint256,uint256)", u(1_000), u(1_000)));
        mk.clock().goToSlot(10);
        assertEquals(winner == a ? SEQ_X : SEQ_Y, m.winnerOf(n(WINDOW), n(NS_A)).send());
        assertEquals(DEF_B, m.winnerOf(n(WINDOW), n(NS_B)).send());
    }

    private static byte[] id(int bidId) {
        // abi.encodePacked pads each array element to a full word.
        return ByteBuffer.allocate(32).putInt(28, bidId).array();
    }

    @Test
    void escrowWithdrawalsWaitForTheDelay() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, BOND, FEE);
        SequencingMarketplace m = mk.m();
        SequencingMarketplace byX = mk.as(x);
        ok(byX.deposit(n(5_000)));
        assertReverts(l1, x, m, byX.requestWithdrawal(n(6_000)),
                error("SequencingMarketplace__InsufficientBalance(uint256,uint256)", u(5_000), u(6_000)));
        assertReverts(l1, x, m, byX.withdraw(),
                error("SequencingMarketplace__NothingToWithdraw(address)", addr(x.getAddress())));
        TransactionReceipt req = ok(byX.requestWithdrawal(n(4_000)));
        long unlock = SequencingMarketplace.getWithdrawalRequestedEvents(req).getFirst().unlockTime.longValueExact();
        assertEquals(n(4_000), m.pendingWithdrawalOf(x.getAddress()).send().component1());
        // The last locked second: the call runs in a block one second before the unlock.
        mk.clock().goToSecond(unlock - 1 - mk.clock().genesisTime());
        assertReverts(l1, x, m, byX.withdraw(), error("SequencingMarketplace__WithdrawalLocked(uint64,uint256)",
                u64(unlock), u(unlock - 1)));
        mk.clock().nextBlockAt(unlock - mk.clock().genesisTime());
        TransactionReceipt w = ok(byX.withdraw());
        assertEquals(n(4_000), SequencingMarketplace.getWithdrawnEvents(w).getFirst().amountWei);
        assertReverts(l1, x, m, byX.withdraw(),
                error("SequencingMarketplace__NothingToWithdraw(address)", addr(x.getAddress())));
        assertEquals(n(1_000), m.freeBalanceOf(x.getAddress()).send());
    }

    @Test
    void aRevealNeedsABundleAndASequencer() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, BOND, FEE);
        registerFour(mk);
        ok(mk.as(x).deposit(n(10_000)));
        mk.clock().goToSlot(3);
        int empty = mk.commit(x, BigInteger.ZERO, 1_000, SEQ_X, 1, 1_100);
        String zero = "0x0000000000000000000000000000000000000000";
        int noSequencer = mk.commit(x, bundle(0), 1_000, zero, 2, 1_100);
        mk.clock().goToSlot(6);
        assertReverts(l1, x, mk.m(), mk.as(x).revealBid(n(WINDOW), n(empty), BigInteger.ZERO, n(1_000), SEQ_X, salt(1)),
                error("SequencingMarketplace__EmptyBundle()"));
        assertReverts(l1, x, mk.m(), mk.as(x).revealBid(n(WINDOW), n(noSequencer), bundle(0), n(1_000), zero, salt(2)),
                error("SequencingMarketplace__ZeroAddress()"));
    }

    @Test
    void theConstructorRefusesNonsenseWithTheFailingValues() {
        long now = l1.latestTimestampSec();
        String t = treasury.getAddress();
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(now, 0, 12, 3, 2, 2, 2, 50, 8, BOND, FEE, t), new Address(owner.getAddress())),
                error("SequencingMarketplace__BadSchedule(uint64,uint64,uint64,uint64,uint64,uint64)", u64(0), u64(12),
                        u64(3), u64(2), u64(2), u64(2)));
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(now, 12, 12, 3, 0, 2, 2, 50, 8, BOND, FEE, t), new Address(owner.getAddress())),
                error("SequencingMarketplace__BadSchedule(uint64,uint64,uint64,uint64,uint64,uint64)", u64(12), u64(12),
                        u64(3), u64(0), u64(2), u64(2)));
        // No finality gap: the result would be final only at the window's first block, too late for any node.
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(now, 12, 12, 3, 2, 2, 0, 50, 8, BOND, FEE, t), new Address(owner.getAddress())),
                error("SequencingMarketplace__BadSchedule(uint64,uint64,uint64,uint64,uint64,uint64)", u64(12), u64(12),
                        u64(3), u64(2), u64(2), u64(0)));
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(now, 12, 12, 3, 2, 2, 2, 50, 257, BOND, FEE, t), new Address(owner.getAddress())),
                error("SequencingMarketplace__BadBidCap(uint32,uint256)", u32(257), u(256)));
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(now, 12, 12, 3, 2, 2, 2, 50, 0, BOND, FEE, t), new Address(owner.getAddress())),
                error("SequencingMarketplace__BadBidCap(uint32,uint256)", u32(0), u(256)));
        long future = now + 10_000;
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(future, 12, 12, 3, 2, 2, 2, 50, 8, BOND, FEE, t), new Address(owner.getAddress())),
                error("SequencingMarketplace__GenesisInFuture(uint64,uint256)", u64(future), u(now)));
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(now, 12, 12, 3, 2, 2, 2, 50, 8, 0, FEE, t), new Address(owner.getAddress())),
                error("SequencingMarketplace__ZeroBond()"));
        String zero = "0x0000000000000000000000000000000000000000";
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(now, 12, 12, 3, 2, 2, 2, 50, 8, BOND, FEE, zero), new Address(owner.getAddress())),
                error("SequencingMarketplace__ZeroAddress()"));
        assertDeployReverts(l1, owner, SequencingMarketplace.BINARY,
                List.of(Auction.params(now, 12, 12, 3, 2, 2, 2, 50, 8, BOND, FEE, t), new Address(zero)),
                error("OwnableInvalidOwner(address)", addr(zero)));
    }
}
