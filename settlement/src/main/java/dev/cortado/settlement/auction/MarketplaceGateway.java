package dev.cortado.settlement.auction;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.settlement.auction.AuctionViews.BidView;
import dev.cortado.settlement.auction.AuctionViews.MarketParams;
import dev.cortado.settlement.auction.AuctionViews.ResultView;
import dev.cortado.settlement.auction.AuctionViews.RollupTerms;
import dev.cortado.settlement.auction.AuctionViews.Sent;
import dev.cortado.settlement.port.L1Client.L1Exception;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The only class that calls SequencingMarketplace.sol: every view and transaction of the bidder, the
 * resolver and the status command goes through here, so a change to the contract's ABI stays in one
 * file. Transactions are simulated first (a revert costs no gas and is decoded into the custom error),
 * estimated with 25% headroom, signed once and sent as EIP-1559. Not thread-safe.
 */
public final class MarketplaceGateway implements AutoCloseable {
    private final Web3j web3j;
    private final String address;
    private final SequencingMarketplace contract;
    private final MarketplaceSender sender;
    private MarketParams params;

    private MarketplaceGateway(Web3j web3j, String address, Credentials credentials, long receiptTimeoutMs) {
        this.web3j = web3j;
        this.address = address;
        String from = credentials == null ? "0x0000000000000000000000000000000000000000" : credentials.getAddress();
        this.contract = SequencingMarketplace.load(address, web3j, new ReadonlyTransactionManager(web3j, from),
                new DefaultGasProvider());
        this.sender = new MarketplaceSender(web3j, address, credentials, receiptTimeoutMs);
    }

    /** Connects; {@code credentials} may be null for a read-only gateway. Fails when no marketplace is there. */
    public static MarketplaceGateway connect(String rpcUrl, String marketplaceAddress, Credentials credentials) {
        if (marketplaceAddress == null || !marketplaceAddress.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("marketplace address must be 0x followed by 40 hex digits, got " + marketplaceAddress);
        }
        Web3j web3j = Web3j.build(dev.cortado.settlement.l1.RpcHttp.service(rpcUrl));
        try {
            MarketplaceGateway g = new MarketplaceGateway(web3j, marketplaceAddress, credentials, 120_000);
            g.params();
            return g;
        } catch (RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    public String account() {
        return sender.account();
    }

    public String address() {
        return address;
    }

    // ------------------------------------------------------------------ views

    public MarketParams params() {
        if (params == null) {
            String code = call("eth_getCode", () -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send().getCode());
            if (code == null || code.equals("0x")) {
                throw new IllegalArgumentException("no contract at " + address + " on this L1");
            }
            SequencingMarketplace.Params p = view("params", contract.params());
            params = new MarketParams(p.genesisTime.longValueExact(), p.secondsPerSlot.longValueExact(),
                    new AuctionSchedule(p.slotsPerWindow.longValueExact(), p.commitSlots.longValueExact(),
                            p.revealSlots.longValueExact(), p.resolutionSlots.longValueExact(),
                            p.finalitySlots.longValueExact()),
                    p.withdrawalDelaySeconds.longValueExact(), p.maxBidsPerWindow.intValueExact(),
                    p.bidBondWei, p.commitFeeWei, p.treasury);
        }
        return params;
    }

    /** The latest L1 block's timestamp: the time the contract's views see. */
    public long latestTimestampSec() {
        return call("eth_getBlockByNumber", () -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
                .getBlock().getTimestamp().longValueExact());
    }

    public long latestSlot() {
        return params().slotAt(latestTimestampSec());
    }

    public BigInteger freeBalanceOf(String account) {
        return view("freeBalanceOf", contract.freeBalanceOf(account));
    }

    /** Settled winners' payments credited to {@code account} (a rollup's beneficiary) and not yet withdrawn. */
    public BigInteger proceedsOf(String account) {
        return view("proceedsOf", contract.proceedsOf(account));
    }

    public BigInteger pendingWithdrawalOf(String account) {
        return view("pendingWithdrawalOf", contract.pendingWithdrawalOf(account)).component1();
    }

    /** The non-refundable fee the contract charges for the next commit of a window with {@code bidCount} bids. */
    public BigInteger commitFeeOf(int bidCount) {
        return view("commitFeeOf", contract.commitFeeOf(BigInteger.valueOf(bidCount)));
    }

    public int bidCount(long window) {
        return view("bidCount", contract.bidCount(BigInteger.valueOf(window))).intValueExact();
    }

    public BidView bidOf(long window, int bidId) {
        var t = view("bidOf", contract.bidOf(BigInteger.valueOf(window), BigInteger.valueOf(bidId)));
        return new BidView(bidId, t.component1(), t.component2(), t.component3(), t.component4(), t.component5(),
                t.component6(), t.component7());
    }

    public List<BidView> bidsOf(long window) {
        int n = Math.min(bidCount(window), params().maxBidsPerWindow());
        List<BidView> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(bidOf(window, i));
        return out;
    }

    public ResultView resultOf(long window) {
        var t = view("resultOf", contract.resultOf(BigInteger.valueOf(window)));
        return new ResultView(t.component1(), t.component2().stream().map(BigInteger::intValueExact).toList(), t.component3());
    }

    /** Every registered rollup's terms for {@code window}. */
    public List<RollupTerms> rollupsFor(long window) {
        int n = view("rollupCount", contract.rollupCount()).intValueExact();
        List<RollupTerms> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            var r = view("rollupOf", contract.rollupOf(BigInteger.valueOf(i)));
            var t = view("termsAt", contract.termsAt(BigInteger.valueOf(i), BigInteger.valueOf(window)));
            out.add(new RollupTerms(i, r.component1().longValueExact(), r.component3().longValueExact(), t.component1(),
                    t.component2(), t.component3()));
        }
        return out;
    }

    public String winnerOf(long window, long namespace) {
        return view("winnerOf", contract.winnerOf(BigInteger.valueOf(window), BigInteger.valueOf(namespace)));
    }

    /** The contract's own bidCommitment, for cross-checking the local one. */
    public byte[] bidCommitment(long window, String bidder, BigInteger bundle, BigInteger amount, String sequencer,
            byte[] salt) {
        return view("bidCommitment", contract.bidCommitment(BigInteger.valueOf(window), bidder, bundle, amount, sequencer, salt));
    }

    // ------------------------------------------------------------------ transactions

    public Sent deposit(BigInteger amountWei) {
        return send("deposit", contract.deposit(amountWei).encodeFunctionCall(), amountWei, h -> { });
    }

    /**
     * Commits; {@code beforeSend} gets the signed transaction's hash before it leaves (the bidder
     * journals it). Returns the bid id from the receipt's BidCommitted event.
     */
    public long commitBid(long window, byte[] commitment, BigInteger collateralWei, Consumer<String> beforeSend) {
        return commitBid(window, commitment, collateralWei, BigInteger.ZERO, beforeSend);
    }

    /**
     * Commits with {@code valueWei} attached: the contract takes the collateral and fee from the attached
     * ETH first and from the free balance for any shortfall (an excess stays in the free balance).
     */
    public long commitBid(long window, byte[] commitment, BigInteger collateralWei, BigInteger valueWei,
            Consumer<String> beforeSend) {
        Sent sent = send("commitBid(window " + window + ")",
                contract.commitBid(BigInteger.valueOf(window), commitment, collateralWei, valueWei).encodeFunctionCall(),
                valueWei, beforeSend);
        return committedBidId(sent.txHash()).orElseThrow(() -> new L1Exception("commit " + sent.txHash()
                + " has no BidCommitted event", null));
    }

    /** The bid id of a mined commit, empty when the L1 has no receipt for {@code txHash}. */
    public Optional<Long> committedBidId(String txHash) {
        TransactionReceipt r = sender.receipt(txHash).orElse(null);
        if (r == null || !r.isStatusOK()) return Optional.empty();
        return SequencingMarketplace.getBidCommittedEvents(r).stream()
                .filter(e -> e.log.getAddress().equalsIgnoreCase(address)).map(e -> e.bidId.longValueExact()).findFirst();
    }

    /** Whether {@code txHash} was mined and reverted (status 0): it changed nothing and locked nothing. */
    public boolean minedAndReverted(String txHash) {
        TransactionReceipt r = sender.receipt(txHash).orElse(null);
        return r != null && !r.isStatusOK();
    }

    /** Whether the L1 knows {@code txHash} at all (mined or pending). */
    public boolean knows(String txHash) {
        return sender.knows(txHash);
    }

    public Sent revealBid(long window, long bidId, BigInteger bundle, BigInteger amount, String sequencer, byte[] salt) {
        return send("revealBid(window " + window + ", bid " + bidId + ")", contract.revealBid(BigInteger.valueOf(window),
                BigInteger.valueOf(bidId), bundle, amount, sequencer, salt).encodeFunctionCall(), BigInteger.ZERO, h -> { });
    }

    private String allocationData(long window, List<Integer> bidIds) {
        return contract.submitAllocation(BigInteger.valueOf(window), bidIds.stream().map(BigInteger::valueOf).toList())
                .encodeFunctionCall();
    }

    /** The gas submitAllocation would use now (it reverts, decoded, if the contract would refuse it). */
    public long estimateSubmitAllocation(long window, List<Integer> bidIds) {
        String data = allocationData(window, bidIds);
        sender.simulate("submitAllocation(window " + window + ")", data, BigInteger.ZERO);
        return sender.estimate("submitAllocation(window " + window + ")", data, BigInteger.ZERO).longValueExact();
    }

    public Sent submitAllocation(long window, List<Integer> bidIds) {
        return send("submitAllocation(window " + window + ")", allocationData(window, bidIds), BigInteger.ZERO, h -> { });
    }

    public Sent settleBid(long window, long bidId) {
        return send("settleBid(window " + window + ", bid " + bidId + ")",
                contract.settleBid(BigInteger.valueOf(window), BigInteger.valueOf(bidId)).encodeFunctionCall(), BigInteger.ZERO,
                h -> { });
    }

    /** Registers {@code namespace}'s rollup (the registrar, the contract's owner, only); returns the index it took. */
    public int registerRollup(long namespace, String operator, BigInteger reserveWei, String defaultSequencer,
            String beneficiary) {
        send("registerRollup(namespace " + namespace + ")", contract.registerRollup(BigInteger.valueOf(namespace), operator,
                reserveWei, defaultSequencer, beneficiary).encodeFunctionCall(), BigInteger.ZERO, h -> { });
        return view("indexOfNamespace", contract.indexOfNamespace(BigInteger.valueOf(namespace))).intValueExact();
    }

    public Sent requestWithdrawal(BigInteger amountWei) {
        return send("requestWithdrawal", contract.requestWithdrawal(amountWei).encodeFunctionCall(), BigInteger.ZERO, h -> { });
    }

    public Sent withdraw() {
        return send("withdraw", contract.withdraw().encodeFunctionCall(), BigInteger.ZERO, h -> { });
    }

    private <T> T view(String name, RemoteFunctionCall<T> call) {
        try {
            return call.send();
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new L1Exception("SequencingMarketplace." + name + " failed: " + msg, e);
        }
    }

    /** The max fee per gas this gateway offers now (twice the base fee plus the tip), in wei. */
    public BigInteger maxFeePerGasWei() {
        return sender.maxFeePerGasWei();
    }

    private Sent send(String what, String data, BigInteger valueWei, Consumer<String> beforeSend) {
        return sender.send(what, data, valueWei, beforeSend);
    }

    /** {@code Name(arg, ...)} of a marketplace custom error, or the raw data when it is none of them. */
    public static String decodeRevert(String revertData) {
        return MarketplaceErrors.decode(revertData);
    }

    private static <T> T call(String method, MarketplaceSender.Rpc<T> rpc) {
        return MarketplaceSender.rpc(method, rpc);
    }

    @Override
    public void close() {
        web3j.shutdown();
    }

}
