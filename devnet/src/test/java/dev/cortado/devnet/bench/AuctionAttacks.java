package dev.cortado.devnet.bench;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.MarketplaceRevertException;
import dev.cortado.settlement.auction.PendingBid;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.Bundle;
import dev.cortado.settlement.auction.solver.ExactSolver;
import dev.cortado.settlement.auction.solver.Instance;
import dev.cortado.settlement.auction.solver.RevealedBid;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.Transfer;
import org.web3j.utils.Convert;
import org.web3j.utils.Numeric;

/**
 * The griefing strategies of issue 12, played on the deployed marketplace with the simulated honest
 * bidders as victims: bid-slot spam (never revealed, or revealed at the reserves), selective reveal
 * and registry squatting. Each row is the attacker's cost (gas, commit fees, forfeits, payments)
 * against the honest bids it blocked or beat and the revenue the rollups lost.
 */
final class AuctionAttacks {
    /** Attacker gas is priced at this gas price in every row. */
    static final BigInteger REFERENCE_GAS_PRICE = AuctionBench.GWEI.multiply(BigInteger.TEN);
    /** Gas limits of the spammer's unsimulated transactions, above what a commit (97k for a window's first) and a reveal use. */
    private static final BigInteger COMMIT_GAS_LIMIT = BigInteger.valueOf(150_000);
    private static final BigInteger REVEAL_GAS_LIMIT = BigInteger.valueOf(120_000);

    record AttackRow(String strategy, long attackerGas, BigInteger feesWei, BigInteger forfeitsWei, BigInteger paidWei,
            int honestBlocked, BigInteger revenueLostWei, String outcome) {
        /** Gas at the reference price plus everything the attacker paid the marketplace and did not get back. */
        BigInteger costWei() {
            return REFERENCE_GAS_PRICE.multiply(BigInteger.valueOf(attackerGas)).add(feesWei).add(forfeitsWei).add(paidWei);
        }
    }

    private final L1Devnet l1;
    private final SequencingMarketplace market;
    private final Auction clock;
    private final AuctionSchedule schedule;
    private final List<SimulatedBidder> honest;
    private final MarketplaceGateway resolverGw;
    private final BigInteger[] reserves;
    private final GasLedger ledger;
    private final Random random = new Random(42);

    AuctionAttacks(L1Devnet l1, SequencingMarketplace market, Auction clock, AuctionSchedule schedule,
            List<SimulatedBidder> honest, MarketplaceGateway resolverGw, String treasury, BigInteger[] reserves) {
        this.l1 = l1;
        this.market = market;
        this.clock = clock;
        this.schedule = schedule;
        this.honest = honest;
        this.resolverGw = resolverGw;
        this.reserves = reserves.clone();
        this.ledger = new GasLedger(l1, market);
    }

    List<AttackRow> all(long firstWindow) throws Exception {
        List<AttackRow> rows = new ArrayList<>();
        rows.add(spam(firstWindow, false));
        rows.add(spam(firstWindow + 1, true));
        rows.add(selectiveReveal(firstWindow + 2));
        rows.addAll(squatting());
        return rows;
    }

    /**
     * One address fills all the window's bid slots before the honest bidders commit. Unrevealed, each
     * bid carries only the bond and forfeits it; revealed, bid k bids the reserve of rollup k mod 8 so
     * the attacker wins every rollup at its reserve and gets the losing bids' collateral back.
     */
    private AttackRow spam(long w, boolean reveal) throws Exception {
        long firstBlock = l1.blockNumber() + 1;
        int cap = resolverGw.params().maxBidsPerWindow();
        Credentials key = freshFunded(AuctionBench.ETH.multiply(BigInteger.TEN));
        try (MarketplaceGateway attacker = MarketplaceGateway.connect(l1.rpcUrl(), market.getContractAddress(), key)) {
            BigInteger fees = BigInteger.ZERO;
            BigInteger locked = BigInteger.ZERO;
            for (int id = 0; id < cap; id++) {
                fees = fees.add(attacker.commitFeeOf(id));
                locked = locked.add(reveal ? reserves[id % reserves.length].add(AuctionBench.BOND_WEI) : AuctionBench.BOND_WEI);
            }
            attacker.deposit(fees.add(locked));
            // Everything is prepared before the phase opens: on Anvil the clock runs with the wall clock, and
            // a spammer on L1 would put its commits into the phase's first blocks.
            List<byte[]> salts = new ArrayList<>();
            List<String> commits = new ArrayList<>();
            for (int id = 0; id < cap; id++) {
                byte[] salt = random32();
                salts.add(salt);
                BigInteger bundle = BigInteger.ONE.shiftLeft(id % reserves.length);
                BigInteger amount = reserves[id % reserves.length];
                byte[] commitment = reveal
                        ? attacker.bidCommitment(w, attacker.account(), bundle, amount, attacker.account(), salt) : salt;
                commits.add(market.commitBid(BigInteger.valueOf(w), commitment,
                        reveal ? amount.add(AuctionBench.BOND_WEI) : AuctionBench.BOND_WEI, BigInteger.ZERO).encodeFunctionCall());
            }
            clock.goToSlot(schedule.commitSlot(w));
            burst(key, commits, COMMIT_GAS_LIMIT);
            // The honest bidders now place the bids they would have placed: every commit is refused.
            Map<SimulatedBidder, Integer> before = new HashMap<>();
            for (SimulatedBidder b : honest) before.put(b, b.journal().entries().size());
            for (SimulatedBidder b : honest) b.bid(w, random, reserves);
            int blocked = 0;
            String refusal = "none";
            List<RevealedBid> wanted = new ArrayList<>();
            for (SimulatedBidder b : honest) {
                List<PendingBid> entries = b.journal().entries();
                for (PendingBid p : entries.subList(before.get(b), entries.size())) {
                    wanted.add(new RevealedBid(wanted.size(), Bundle.of(p.bundleBits()), p.amountWei()));
                    if (p.stage() == PendingBid.Stage.ABANDONED) {
                        blocked++;
                        refusal = p.note().replaceAll(".*(SequencingMarketplace__\\w+\\([^)]*\\)).*", "$1");
                    }
                }
            }
            if (reveal) {
                List<String> reveals = new ArrayList<>();
                for (int id = 0; id < cap; id++) {
                    reveals.add(market.revealBid(BigInteger.valueOf(w), BigInteger.valueOf(id),
                            BigInteger.ONE.shiftLeft(id % reserves.length), reserves[id % reserves.length],
                            attacker.account(), salts.get(id)).encodeFunctionCall());
                }
                clock.goToSlot(schedule.revealSlot(w));
                burst(key, reveals, REVEAL_GAS_LIMIT);
                clock.goToSlot(schedule.resolutionSlot(w));
                new Resolver(resolverGw, new ExactSolver()).resolve(w, false);
            }
            long attackerGas = ledger.sentBy(firstBlock, l1.blockNumber(), Set.of(attacker.account()));
            settleAll(w);
            BigInteger revenue = resolverGw.resultOf(w).revenueWei();
            BigInteger forfeits = reveal ? BigInteger.ZERO : locked;
            BigInteger spent = fees.add(locked).subtract(attacker.freeBalanceOf(attacker.account()));
            BigInteger paid = spent.subtract(fees).subtract(forfeits);
            BigInteger honestRevenue = counterfactual(w, wanted);
            String outcome = cap + " commits from one address, then " + blocked + " honest commits refused with " + refusal
                    + "; " + (reveal ? "the attacker revealed all and won every rollup at its reserve (window revenue "
                            + eth(revenue) + " ETH)" : "nothing revealed, every rollup unsold (default sequencers)")
                    + "; the honest bids would have paid " + eth(honestRevenue) + " ETH";
            return new AttackRow(reveal ? "bid-slot spam, revealed at the reserves" : "bid-slot spam, never revealed",
                    attackerGas, fees, forfeits, paid, blocked, honestRevenue.subtract(revenue).max(BigInteger.ZERO), outcome);
        }
    }

    /** What the window would have earned from the bids the honest bidders tried to place. */
    private BigInteger counterfactual(long w, List<RevealedBid> wanted) {
        Map<Integer, BigInteger> r = new HashMap<>();
        for (int i = 0; i < reserves.length; i++) r.put(i, reserves[i]);
        return new ExactSolver().solve(new Instance(wanted, Bundle.firstN(reserves.length), r)).revenueWei();
    }

    /**
     * Four sealed bids on rollup 0; after the rival reveals, only the cheapest one that beats it is
     * revealed. Compared with bidding the top price honestly (one bid, pays it).
     */
    private AttackRow selectiveReveal(long w) throws Exception {
        clock.goToSlot(schedule.commitSlot(w));
        BigInteger bundle = BigInteger.ONE;
        BigInteger r0 = reserves[0];
        MarketplaceGateway rival = honest.getFirst().gateway();
        BigInteger rivalAmount = r0.multiply(BigInteger.valueOf(5));
        byte[] rivalSalt = random32();
        rival.deposit(rivalAmount.add(AuctionBench.BOND_WEI).add(rival.commitFeeOf(rival.bidCount(w))));
        long rivalId = rival.commitBid(w, rival.bidCommitment(w, rival.account(), bundle, rivalAmount, rival.account(), rivalSalt),
                rivalAmount.add(AuctionBench.BOND_WEI), h -> { });
        try (MarketplaceGateway attacker = fundedAttacker()) {
            long firstBlock = l1.blockNumber() + 1;
            BigInteger top = r0.multiply(BigInteger.valueOf(8));
            BigInteger collateral = top.add(AuctionBench.BOND_WEI);
            BigInteger[] amounts = new BigInteger[4];
            byte[][] salts = new byte[4][];
            long[] ids = new long[4];
            BigInteger fees = BigInteger.ZERO;
            int nextId = rival.bidCount(w);
            for (int k = 0; k < 4; k++) fees = fees.add(attacker.commitFeeOf(nextId + k));
            attacker.deposit(collateral.multiply(BigInteger.valueOf(4)).add(fees));
            for (int k = 0; k < 4; k++) {
                amounts[k] = r0.multiply(BigInteger.valueOf(2L * (k + 1)));
                salts[k] = random32();
                byte[] c = attacker.bidCommitment(w, attacker.account(), bundle, amounts[k], attacker.account(), salts[k]);
                ids[k] = attacker.commitBid(w, c, collateral, h -> { });
            }
            clock.goToSlot(schedule.revealSlot(w));
            rival.revealBid(w, rivalId, bundle, rivalAmount, rival.account(), rivalSalt);
            int pick = -1;
            for (int k = 0; k < 4 && pick < 0; k++) if (amounts[k].compareTo(rivalAmount) > 0) pick = k;
            attacker.revealBid(w, ids[pick], bundle, amounts[pick], attacker.account(), salts[pick]);
            clock.goToSlot(schedule.resolutionSlot(w));
            new Resolver(resolverGw, new ExactSolver()).resolve(w, false);
            long attackerGas = ledger.sentBy(firstBlock, l1.blockNumber(), Set.of(attacker.account()));
            settleAll(w);
            boolean won = resolverGw.winnerOf(w, 100).equalsIgnoreCase(attacker.account());
            BigInteger forfeits = collateral.multiply(BigInteger.valueOf(3));
            BigInteger paid = won ? amounts[pick] : BigInteger.ZERO;
            BigInteger spent = collateral.multiply(BigInteger.valueOf(4)).add(fees).subtract(attacker.freeBalanceOf(attacker.account()));
            if (!spent.equals(fees.add(forfeits).add(paid))) {
                throw new IllegalStateException("selective reveal: the attacker spent " + spent + " wei, expected "
                        + fees.add(forfeits).add(paid));
            }
            // Bidding the top price honestly: one commit fee, pays the top price.
            BigInteger honestCost = top.add(attacker.commitFeeOf(nextId));
            BigInteger gain = honestCost.subtract(fees.add(forfeits).add(paid));
            String outcome = "4 sealed bids on rollup 0 (" + eth(amounts[0]) + ".." + eth(amounts[3]) + " ETH, collateral "
                    + eth(collateral) + " each); the rival revealed " + eth(rivalAmount) + " ETH; the attacker revealed only "
                    + eth(amounts[pick]) + " ETH and " + (won ? "won" : "lost") + ", but the 3 unrevealed bids forfeited "
                    + eth(forfeits) + " ETH: " + eth(gain.negate()) + " ETH worse off than bidding " + eth(top)
                    + " ETH honestly (gas aside)";
            return new AttackRow("selective reveal", attackerGas, fees, forfeits, paid, won ? 1 : 0, BigInteger.ZERO, outcome);
        }
    }

    /** A non-registrar front-runs a rollup's namespace, then tries to fill the registry. */
    private List<AttackRow> squatting() throws Exception {
        List<AttackRow> rows = new ArrayList<>();
        Credentials squatter = freshFunded(AuctionBench.ETH);
        Credentials registrar = l1.accounts().get(0);
        long victimNamespace = 4242;
        String error = simulateRegister(squatter.getAddress(), victimNamespace);
        long gas = sendRegister(squatter, victimNamespace);
        var asRegistrar = SequencingMarketplace.load(market.getContractAddress(), l1.web3j(), tm(l1, registrar), GAS);
        String def = "0x00000000000000000000000000000000000000d9";
        ok(asRegistrar.registerRollup(BigInteger.valueOf(victimNamespace), registrar.getAddress(), BigInteger.ZERO, def, def));
        long index = asRegistrar.indexOfNamespace(BigInteger.valueOf(victimNamespace)).send().longValueExact();
        rows.add(new AttackRow("registry squatting: front-run a namespace", gas, BigInteger.ZERO, BigInteger.ZERO,
                BigInteger.ZERO, 0, BigInteger.ZERO, "the squatter's registerRollup reverted with " + error
                        + "; the registrar then registered namespace " + victimNamespace + " for its rollup (index " + index + ")"));
        long fillGas = 0;
        int filled = 0;
        String stoppedBy = null;
        for (long ns = 50_000; ns < 50_003; ns++) {
            stoppedBy = simulateRegister(squatter.getAddress(), ns);
            if (stoppedBy == null) {
                filled++;
            }
            fillGas += sendRegister(squatter, ns);
        }
        int rollups = asRegistrar.rollupCount().send().intValueExact();
        rows.add(new AttackRow("registry squatting: fill the 256 slots", fillGas, BigInteger.ZERO, BigInteger.ZERO,
                BigInteger.ZERO, 0, BigInteger.ZERO, "3 attempts, " + filled + " registered, each reverted with " + stoppedBy
                        + "; the registry holds " + rollups + " rollups, all the registrar's"));
        return rows;
    }

    /** The decoded revert of registerRollup from {@code from}, or null when it would succeed. */
    private String simulateRegister(String from, long namespace) throws java.io.IOException {
        EthCall r = l1.web3j().ethCall(Transaction.createEthCallTransaction(from, market.getContractAddress(),
                registerData(from, namespace)), DefaultBlockParameterName.LATEST).send();
        if (!r.hasError() && !r.isReverted()) return null;
        Object raw = r.hasError() ? r.getError().getData() : r.getValue();
        return MarketplaceGateway.decodeRevert(raw == null ? "0x" : raw.toString());
    }

    /** Sends the squatter's registerRollup anyway (no simulation) and returns the gas its reverted receipt used. */
    private long sendRegister(Credentials squatter, long namespace) throws Exception {
        var asSquatter = SequencingMarketplace.load(market.getContractAddress(), l1.web3j(), tm(l1, squatter), GAS);
        try {
            var receipt = asSquatter.registerRollup(BigInteger.valueOf(namespace), squatter.getAddress(), BigInteger.ZERO,
                    squatter.getAddress(), squatter.getAddress()).send();
            if (receipt.isStatusOK()) throw new IllegalStateException("the squatter registered namespace " + namespace);
            return receipt.getGasUsed().longValueExact();
        } catch (TransactionException e) {
            return e.getTransactionReceipt().orElseThrow(() -> e).getGasUsed().longValueExact();
        }
    }

    private String registerData(String operator, long namespace) {
        return market.registerRollup(BigInteger.valueOf(namespace), operator, BigInteger.ZERO, operator, operator)
                .encodeFunctionCall();
    }

    /** Settles every bid of {@code w} (anyone may; the resolver's account pays that gas). */
    private void settleAll(long w) throws MarketplaceRevertException {
        clock.goToSlot(schedule.windowSlot(w));
        for (int id = 0; id < resolverGw.bidCount(w); id++) {
            if (!resolverGw.bidOf(w, id).settled()) resolverGw.settleBid(w, id);
        }
        for (SimulatedBidder b : honest) b.bidder().step();
    }

    /**
     * Sends {@code calldata} to the market as consecutive transactions from {@code who}, signed with
     * nonces counted locally and sent without simulating or estimating each one: the fastest a spammer
     * can fill a phase (Anvil's clock follows the wall clock). Every receipt must succeed.
     */
    private void burst(Credentials who, List<String> calldata, BigInteger gasLimit) throws Exception {
        var web3j = l1.web3j();
        BigInteger nonce = web3j.ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.PENDING).send()
                .getTransactionCount();
        BigInteger tip = web3j.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
        BigInteger maxFee = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                .getBaseFeePerGas().multiply(BigInteger.TWO).add(tip);
        List<String> hashes = new ArrayList<>();
        for (String data : calldata) {
            RawTransaction tx = RawTransaction.createTransaction(l1.chainId(), nonce, gasLimit, market.getContractAddress(),
                    BigInteger.ZERO, data, tip, maxFee);
            var sent = web3j.ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(tx, who))).send();
            if (sent.hasError()) throw new IllegalStateException("burst transaction refused: " + sent.getError().getMessage());
            hashes.add(sent.getTransactionHash());
            nonce = nonce.add(BigInteger.ONE);
        }
        for (String h : hashes) {
            var receipt = web3j.ethGetTransactionReceipt(h).send().getTransactionReceipt();
            for (int tries = 0; receipt.isEmpty() && tries < 600; tries++) {
                Thread.sleep(50);
                receipt = web3j.ethGetTransactionReceipt(h).send().getTransactionReceipt();
            }
            var r = receipt.orElseThrow(() -> new IllegalStateException("no receipt for burst transaction " + h));
            if (!r.isStatusOK()) throw new IllegalStateException("burst transaction " + h + " reverted");
        }
    }

    private MarketplaceGateway fundedAttacker() throws Exception {
        return MarketplaceGateway.connect(l1.rpcUrl(), market.getContractAddress(), freshFunded(AuctionBench.ETH.multiply(BigInteger.TEN)));
    }

    private Credentials freshFunded(BigInteger wei) throws Exception {
        Credentials c = Credentials.create(Keys.createEcKeyPair());
        new Transfer(l1.web3j(), tm(l1, l1.accounts().get(0))).sendFunds(c.getAddress(), new BigDecimal(wei),
                Convert.Unit.WEI, GAS.getGasPrice(), BigInteger.valueOf(21_000)).send();
        return c;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    static String eth(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
    }
}
