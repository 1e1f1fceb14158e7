package dev.cortado.devnet.bench;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.tm;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.AuctionViews.BidView;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.MarketplaceRevertException;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.ExactSolver;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.tx.Transfer;
import org.web3j.utils.Convert;

/**
 * The griefing strategies of issue 12, played on the deployed marketplace with the honest bidders'
 * clients as victims. Each one is measured as the attacker's cost (gas, and wei lost to forfeits)
 * against the honest bids (or registrations) it blocked or beat. A strategy the contracts refuse is
 * reported with the custom error that stopped it.
 */
final class AuctionAttacks {
    /** Attacker cost is priced at this gas price, the same for every row. */
    static final BigInteger REFERENCE_GAS_PRICE = AuctionBench.GWEI.multiply(BigInteger.TEN);

    record AttackRow(String strategy, long attackerGas, BigInteger attackerLossWei, int honestBlocked, String detail) {
        BigInteger costWei() {
            return REFERENCE_GAS_PRICE.multiply(BigInteger.valueOf(attackerGas)).add(attackerLossWei);
        }
    }

    private final L1Devnet l1;
    private final SequencingMarketplace market;
    private final Auction clock;
    private final AuctionSchedule schedule;
    private final List<MarketplaceGateway> honest;
    private final MarketplaceGateway resolverGw;
    private final String treasury;
    private final BigInteger[] reserves;

    AuctionAttacks(L1Devnet l1, SequencingMarketplace market, Auction clock, AuctionSchedule schedule,
            List<MarketplaceGateway> honest, MarketplaceGateway resolverGw, String treasury, BigInteger[] reserves) {
        this.l1 = l1;
        this.market = market;
        this.clock = clock;
        this.schedule = schedule;
        this.honest = honest;
        this.resolverGw = resolverGw;
        this.treasury = treasury;
        this.reserves = reserves;
    }

    List<AttackRow> all(long firstWindow) throws Exception {
        List<AttackRow> rows = new ArrayList<>();
        rows.add(spam(firstWindow));
        rows.add(selectiveReveal(firstWindow + 1));
        rows.addAll(squatting());
        return rows;
    }

    /** Sybil addresses fill the window's bid slots with minimal collateral before honest bidders commit. */
    private AttackRow spam(long w) throws Exception {
        clock.goToSlot(schedule.commitSlot(w));
        long firstBlock = l1.blockNumber() + 1;
        int maxPerBidder = resolverGw.params().maxBidsPerBidder();
        int maxPerWindow = resolverGw.params().maxBidsPerWindow();
        int committed = 0;
        String stoppedBy = null;
        List<MarketplaceGateway> sybils = new ArrayList<>();
        try {
            outer:
            for (int a = 0; committed < maxPerWindow; a++) {
                MarketplaceGateway g = fundedAttacker();
                sybils.add(g);
                g.deposit(BigInteger.valueOf(maxPerBidder));
                for (int k = 0; k < maxPerBidder && committed < maxPerWindow; k++) {
                    try {
                        g.commitBid(w, random32(), BigInteger.ONE, h -> { });
                        committed++;
                    } catch (MarketplaceRevertException e) {
                        stoppedBy = e.error();
                        break outer;
                    }
                }
            }
            long attackerGas = AuctionBench.gasSentBy(l1, firstBlock, l1.blockNumber(), sybils.stream()
                    .map(g -> g.account().toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toSet()));
            int blocked = 0;
            String honestError = "none";
            for (MarketplaceGateway g : honest) {
                BigInteger amount = reserves[0].multiply(BigInteger.TWO);
                try {
                    g.deposit(amount);
                    g.commitBid(w, random32(), amount, h -> { });
                } catch (MarketplaceRevertException e) {
                    blocked++;
                    honestError = e.error().replaceAll("\\(.*", "");
                }
            }
            clock.goToSlot(schedule.windowSlot(w));
            for (int id = 0; id < resolverGw.bidCount(w); id++) {
                BidView b = resolverGw.bidOf(w, id);
                if (!b.settled()) resolverGw.settleBid(w, id);
            }
            // Only the sybils' own losses count: deposits minus what settlement gave back.
            BigInteger lost = BigInteger.ZERO;
            for (MarketplaceGateway g : sybils) {
                lost = lost.add(BigInteger.valueOf(maxPerBidder)).subtract(g.freeBalanceOf(g.account()));
            }
            return new AttackRow("spam", attackerGas, lost, blocked, committed + " commits of 1 wei collateral from "
                    + sybils.size() + " addresses" + (stoppedBy == null ? "" : ", stopped by " + stoppedBy)
                    + "; each honest bidder then tried one commit, refused with " + honestError);
        } finally {
            sybils.forEach(MarketplaceGateway::close);
        }
    }

    /** Several sealed bids on one bundle; after the rival reveals, only the cheapest winning one is revealed. */
    private AttackRow selectiveReveal(long w) throws Exception {
        clock.goToSlot(schedule.commitSlot(w));
        BigInteger treasuryBefore = market.proceedsOf(treasury).send();
        BigInteger bundle = BigInteger.ONE; // rollup 0
        BigInteger rivalAmount = reserves[0].multiply(BigInteger.valueOf(5));
        MarketplaceGateway rival = honest.getFirst();
        byte[] rivalSalt = random32();
        byte[] rivalCommitment = rival.bidCommitment(w, rival.account(), bundle, rivalAmount, rival.account(), rivalSalt);
        rival.deposit(rivalAmount);
        long rivalId = rival.commitBid(w, rivalCommitment, rivalAmount, h -> { });
        try (MarketplaceGateway attacker = fundedAttacker()) {
            long firstBlock = l1.blockNumber() + 1;
            BigInteger top = reserves[0].multiply(BigInteger.valueOf(8));
            BigInteger[] amounts = new BigInteger[4];
            byte[][] salts = new byte[4][];
            long[] ids = new long[4];
            attacker.deposit(top.multiply(BigInteger.valueOf(4)));
            for (int k = 0; k < 4; k++) {
                amounts[k] = reserves[0].multiply(BigInteger.valueOf(2L * (k + 1)));
                salts[k] = random32();
                byte[] c = attacker.bidCommitment(w, attacker.account(), bundle, amounts[k], attacker.account(), salts[k]);
                ids[k] = attacker.commitBid(w, c, top, h -> { });
            }
            clock.goToSlot(schedule.revealSlot(w));
            rival.revealBid(w, rivalId, bundle, rivalAmount, rival.account(), rivalSalt);
            BigInteger best = rival.bidOf(w, (int) rivalId).amountWei();
            int pick = -1;
            for (int k = 0; k < 4 && pick < 0; k++) if (amounts[k].compareTo(best) > 0) pick = k;
            attacker.revealBid(w, ids[pick], bundle, amounts[pick], attacker.account(), salts[pick]);
            clock.goToSlot(schedule.resolutionSlot(w));
            new Resolver(resolverGw, new ExactSolver()).resolve(w, false);
            clock.goToSlot(schedule.windowSlot(w));
            for (int id = 0; id < resolverGw.bidCount(w); id++) {
                if (!resolverGw.bidOf(w, id).settled()) resolverGw.settleBid(w, id);
            }
            long attackerGas = AuctionBench.gasSentBy(l1, firstBlock, l1.blockNumber(),
                    java.util.Set.of(attacker.account().toLowerCase(java.util.Locale.ROOT)));
            BigInteger forfeited = market.proceedsOf(treasury).send().subtract(treasuryBefore);
            boolean won = resolverGw.winnerOf(w, 100).equalsIgnoreCase(attacker.account());
            return new AttackRow("selective reveal", attackerGas, forfeited, won ? 1 : 0, "4 sealed bids on rollup 0 ("
                    + eth(amounts[0]) + ".." + eth(amounts[3]) + " ETH, collateral " + eth(top) + " each); rival revealed "
                    + eth(rivalAmount) + " ETH; attacker revealed " + eth(amounts[pick]) + " ETH and "
                    + (won ? "won, paying " + eth(amounts[pick].subtract(best)) + " ETH over the rival instead of its top bid"
                            : "lost"));
        }
    }

    /** Front-running a rollup's namespace, then filling the registry so no later rollup can join. */
    private List<AttackRow> squatting() throws Exception {
        List<AttackRow> rows = new ArrayList<>();
        Credentials squatter = freshFunded(BigInteger.TEN.pow(20));
        SequencingMarketplace asSquatter = SequencingMarketplace.load(market.getContractAddress(), l1.web3j(),
                tm(l1, squatter), GAS);
        Credentials rollupOperator = l1.accounts().get(0);
        String def = "0x00000000000000000000000000000000000000d9";
        long victimNamespace = 4242;
        long firstBlock = l1.blockNumber() + 1;
        String refused = simulateRegister(squatter.getAddress(), victimNamespace, def);
        if (refused == null) asSquatter.registerRollup(BigInteger.valueOf(victimNamespace), BigInteger.ZERO, def, def).send();
        long frontRunGas = AuctionBench.gasBetween(l1, firstBlock, l1.blockNumber());
        String victim = simulateRegister(rollupOperator.getAddress(), victimNamespace, def);
        rows.add(new AttackRow("squatting: front-run a namespace", frontRunGas, BigInteger.ZERO, victim == null ? 0 : 1,
                (refused == null ? "the squatter registered namespace " + victimNamespace : "squatter refused: " + refused)
                        + "; the rollup's own registration " + (victim == null ? "still works" : "fails with " + victim)));
        firstBlock = l1.blockNumber() + 1;
        int filled = 0;
        String stoppedBy = null;
        for (long ns = 50_000; filled < 300; ns++) {
            stoppedBy = simulateRegister(squatter.getAddress(), ns, def);
            if (stoppedBy != null) break;
            asSquatter.registerRollup(BigInteger.valueOf(ns), BigInteger.ZERO, def, def).send();
            filled++;
        }
        long fillGas = AuctionBench.gasBetween(l1, firstBlock, l1.blockNumber());
        String late = simulateRegister(rollupOperator.getAddress(), 777, def);
        rows.add(new AttackRow("squatting: fill the registry", fillGas, BigInteger.ZERO, late == null ? 0 : 1, filled
                + " registrations until " + stoppedBy + "; a later rollup's registration "
                + (late == null ? "still works" : "fails with " + late) + " (and so does every later one)"));
        return rows;
    }

    /** The decoded revert of registerRollup from {@code from}, or null when it would succeed. */
    private String simulateRegister(String from, long namespace, String def) throws java.io.IOException {
        String data = market.registerRollup(BigInteger.valueOf(namespace), BigInteger.ZERO, def, def).encodeFunctionCall();
        EthCall r = l1.web3j().ethCall(Transaction.createEthCallTransaction(from, market.getContractAddress(), data),
                DefaultBlockParameterName.LATEST).send();
        if (!r.hasError() && !r.isReverted()) return null;
        Object raw = r.hasError() ? r.getError().getData() : r.getValue();
        return MarketplaceGateway.decodeRevert(raw == null ? "0x" : raw.toString());
    }

    private MarketplaceGateway fundedAttacker() throws Exception {
        return MarketplaceGateway.connect(l1.rpcUrl(), market.getContractAddress(), freshFunded(AuctionBench.ETH));
    }

    private Credentials freshFunded(BigInteger wei) throws Exception {
        Credentials c = Credentials.create(Keys.createEcKeyPair());
        new Transfer(l1.web3j(), tm(l1, l1.accounts().get(5))).sendFunds(c.getAddress(), new BigDecimal(wei),
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
