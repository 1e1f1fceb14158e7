package dev.cortado.devnet.auction;

import static dev.cortado.devnet.contracts.support.Auction.bundle;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.cli.CortadoCli;
import dev.cortado.devnet.contracts.support.Market;
import dev.cortado.devnet.contracts.support.OnAnvil;
import dev.cortado.devnet.testing.Await;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.ResolutionLoop;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.ExactSolver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.Transfer;
import org.web3j.utils.Convert;

/**
 * The resolver under the failures seen on the devnet: its first submission fails (here: its account holds
 * no ETH yet), another resolver then lands a worse allocation, and only a later poll of the same
 * resolution phase sells the window at its optimum. Once that is the chain's best, polls send nothing, and
 * once the phase is over they do not even try. Window 1 resolves in slots 8-9 and is final from slot 10.
 */
class ResolverRetryTest extends OnAnvil {
    private static final String SEQ = "0x00000000000000000000000000000000000000a1";

    @Test
    void aFailedThenOvertakenSubmissionIsRetriedInTheSamePhaseAndNeverResent() throws Exception {
        ThreeBids w = windowOneWithThreeRevealedBids();
        Market mk = w.mk();
        int both = w.both(), first = w.first(), second = w.second();

        Credentials unfunded = Credentials.create(Keys.createEcKeyPair());
        List<String> log = new ArrayList<>();
        try (MarketplaceGateway g = MarketplaceGateway.connect(l1.rpcUrl(), mk.address(), unfunded)) {
            ResolutionLoop loop = new ResolutionLoop(new Resolver(g, new ExactSolver()), g.params().schedule(), false, log::add);

            Resolver.Outcome failed = loop.poll(g.latestSlot()).orElseThrow();
            assertTrue(failed.failed(), failed.reason());
            assertTrue(failed.reason().contains("attempt 1; trying again before slot 10"), failed.reason());
            assertEquals(List.of(first, second), failed.allocation().bidIds(), "the optimum: 3000 + 2500 beats 5000");
            assertEquals(0, mk.m().resultOf(BigInteger.ONE).send().component2().size(), "nothing landed");

            // Another resolver is faster, with a worse allocation.
            ok(mk.as(x).submitAllocation(BigInteger.ONE, List.of(BigInteger.valueOf(both))));
            Transfer.sendFunds(l1.web3j(), owner, unfunded.getAddress(), BigDecimal.ONE, Convert.Unit.ETHER).send();

            Resolver.Outcome retried = loop.poll(g.latestSlot()).orElseThrow();
            assertTrue(retried.submitted(), retried.reason());
            assertEquals(BigInteger.valueOf(5_000), retried.onChainRevenueWei(), "it beat the other resolver's best");
            var result = mk.m().resultOf(BigInteger.ONE).send();
            assertEquals(BigInteger.valueOf(5_500), result.component1());
            assertEquals(List.of(BigInteger.valueOf(first), BigInteger.valueOf(second)), result.component2());

            BigInteger nonce = nonceOf(unfunded);
            Resolver.Outcome again = loop.poll(g.latestSlot()).orElseThrow();
            assertFalse(again.submitted(), again.reason());
            assertFalse(again.failed(), again.reason());
            assertTrue(again.reason().contains("as good"), again.reason());
            assertEquals(nonce, nonceOf(unfunded), "the best already on chain is not resent");

            mk.clock().goToSlot(10);
            assertTrue(loop.poll(g.latestSlot()).isEmpty(), "no attempt once the resolution phase is over");
            assertEquals(nonce, nonceOf(unfunded));
        }
        assertEquals(3, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("resolver: window 1 at slot 8: submission failed: "), log.toString());
        assertTrue(log.get(1).startsWith("resolver: window 1 at slot 8: submitted, gain 500 wei"), log.toString());
        assertTrue(log.get(2).contains("the on-chain allocation is as good (5500 wei)"), log.toString());
    }

    /**
     * The loop solves a window once per phase; a reorg that drops a reveal after that makes the solved
     * allocation stale. Its submission then fails, and the next poll reads the window again and sells it at
     * the optimum of what the chain now holds, rather than resending the stale allocation for the whole phase.
     */
    @Test
    void aRevealDroppedByAReorgAfterTheSolveIsReadAgainAfterTheFailedSubmission() throws Exception {
        ThreeBids w = windowOneWithThreeRevealedBids();
        Market mk = w.mk();
        int both = w.both(), first = w.first(), second = w.second();
        String beforeThirdReveal = w.beforeThirdReveal();

        List<String> log = new ArrayList<>();
        try (MarketplaceGateway g = MarketplaceGateway.connect(l1.rpcUrl(), mk.address(), owner)) {
            ResolutionLoop loop = new ResolutionLoop(new Resolver(g, new ExactSolver()), g.params().schedule(), false, log::add);
            Resolver.Outcome sold = loop.poll(g.latestSlot()).orElseThrow();
            assertTrue(sold.submitted(), sold.reason());
            assertEquals(List.of(first, second), sold.allocation().bidIds());

            // The reorg: the third reveal and our allocation vanish; the phase is reached again without them.
            l1.revert(beforeThirdReveal);
            mk.clock().goToSlot(8);
            assertEquals(0, mk.m().resultOf(BigInteger.ONE).send().component2().size(), "the allocation was reorged out");

            Resolver.Outcome stale = loop.poll(g.latestSlot()).orElseThrow();
            assertTrue(stale.failed(), "the allocation solved before the reorg names an unrevealed bid: " + stale.reason());
            assertEquals(List.of(first, second), stale.allocation().bidIds());

            Resolver.Outcome reread = loop.poll(g.latestSlot()).orElseThrow();
            assertTrue(reread.submitted(), reread.reason());
            assertEquals(List.of(both), reread.allocation().bidIds(), "5000 for both is now the optimum");
            var result = mk.m().resultOf(BigInteger.ONE).send();
            assertEquals(BigInteger.valueOf(5_000), result.component1());
            assertEquals(List.of(BigInteger.valueOf(both)), result.component2());
        }
    }

    /** {@code cortado resolve --windows 1} counts the window once its resolution phase is over, not at its first attempt. */
    @Test
    void theResolveCommandKeepsAWindowOpenUntilItsResolutionPhaseEnds() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        mk.register(owner, 100, owner, 500, SEQ, SEQ);
        mk.clock().goToSlot(3);
        ok(mk.as(x).deposit(BigInteger.valueOf(100_000)));
        int bid = mk.commit(x, bundle(0), 3_000, SEQ, 0, 4_000);
        mk.clock().goToSlot(6);
        mk.reveal(x, bid, bundle(0), 3_000, SEQ, 0);
        mk.clock().goToSlot(8);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = CortadoCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread run = new Thread(() -> exit.set(cli.execute("resolve", "--rpc", l1.rpcUrl(), "--marketplace", mk.address(),
                "--key", y.getEcKeyPair().getPrivateKey().toString(16), "--windows", "1", "--poll", "100ms",
                "--even-if-unprofitable")), "resolve-command");
        run.start();
        try {
            Await.until("the allocation on L1", 30_000,
                    () -> BigInteger.valueOf(3_000).equals(mk.m().resultOf(BigInteger.ONE).sendAsync().join().component1()),
                    () -> out + "\n" + err);
            run.join(1_000);
            assertTrue(run.isAlive(), "the window's resolution phase is not over yet: " + out);
            mk.clock().goToSlot(10);
            run.join(30_000);
            assertFalse(run.isAlive(), out.toString());
        } finally {
            run.interrupt();
        }
        assertEquals(0, exit.get(), out + "\n" + err);
        assertEquals(1, out.toString().split("submitted", -1).length - 1, out.toString());
        assertTrue(out.toString().contains("as good"), out.toString());
        assertTrue(err.toString().contains("resolver: window 1 at slot 8: submitted, gain 3000 wei"), err.toString());
    }

    /** Window 1 over two rollups with three revealed bids, at slot 8 (its resolution phase). */
    private record ThreeBids(Market mk, int both, int first, int second, String beforeThirdReveal) {
    }

    /**
     * Bids 5000 for both rollups, 3000 for rollup 0 and 2500 for rollup 1 (the optimum: the last two);
     * {@code beforeThirdReveal} is a snapshot of the chain before the 2500 bid was revealed.
     */
    private ThreeBids windowOneWithThreeRevealedBids() throws Exception {
        Market mk = Market.deploy(l1, owner, treasury.getAddress(), 8, 100, 10);
        mk.register(owner, 100, owner, 500, SEQ, SEQ);
        mk.register(owner, 200, owner, 500, SEQ, SEQ);
        mk.clock().goToSlot(3);
        for (Credentials c : List.of(x, y, z)) ok(mk.as(c).deposit(BigInteger.valueOf(100_000)));
        int both = mk.commit(x, bundle(0, 1), 5_000, SEQ, 0, 6_000);
        int first = mk.commit(y, bundle(0), 3_000, SEQ, 1, 4_000);
        int second = mk.commit(z, bundle(1), 2_500, SEQ, 2, 3_000);
        mk.clock().goToSlot(6);
        mk.reveal(x, both, bundle(0, 1), 5_000, SEQ, 0);
        mk.reveal(y, first, bundle(0), 3_000, SEQ, 1);
        String beforeThirdReveal = l1.snapshot();
        mk.reveal(z, second, bundle(1), 2_500, SEQ, 2);
        mk.clock().goToSlot(8);
        return new ThreeBids(mk, both, first, second, beforeThirdReveal);
    }

    private BigInteger nonceOf(Credentials c) throws Exception {
        return l1.web3j().ethGetTransactionCount(c.getAddress(), DefaultBlockParameterName.LATEST).send().getTransactionCount();
    }
}
