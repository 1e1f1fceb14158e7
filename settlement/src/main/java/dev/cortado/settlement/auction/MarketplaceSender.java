package dev.cortado.settlement.auction;

import dev.cortado.settlement.auction.AuctionViews.Sent;
import dev.cortado.settlement.port.L1Client.L1Exception;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The gateway's transaction path to one contract: simulate against the pending block (a refusal costs
 * no gas and comes back as the decoded custom error), estimate with headroom, sign one EIP-1559
 * transaction, hand its hash to the caller before it leaves, send and wait for the receipt. A send
 * whose answer is an error still counts when the L1 knows the hash (the response was lost, the
 * transaction was not). Not thread-safe: nonces are read from the pending block per send.
 */
final class MarketplaceSender {
    private static final long GAS_HEADROOM_PERCENT = 25;
    private static final long RECEIPT_POLL_MS = 50;

    private final Web3j web3j;
    private final String address;
    private final Credentials credentials;
    private final long chainId;
    private final long receiptTimeoutMs;

    MarketplaceSender(Web3j web3j, String address, Credentials credentials, long receiptTimeoutMs) {
        this.web3j = web3j;
        this.address = address;
        this.credentials = credentials;
        this.receiptTimeoutMs = receiptTimeoutMs;
        this.chainId = rpc("eth_chainId", () -> web3j.ethChainId().send().getChainId().longValueExact());
    }

    String account() {
        if (credentials == null) throw new IllegalStateException("this gateway is read-only (no key)");
        return credentials.getAddress();
    }

    /** The max fee per gas offered now: twice the base fee plus the tip, in wei. */
    BigInteger maxFeePerGasWei() {
        return fees()[1];
    }

    /** Whether the L1 knows {@code txHash} at all (mined or pending). */
    boolean knows(String txHash) {
        return rpc("eth_getTransactionByHash", () -> web3j.ethGetTransactionByHash(txHash).send().getTransaction().isPresent());
    }

    Optional<TransactionReceipt> receipt(String txHash) {
        return rpc("eth_getTransactionReceipt", () -> web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt());
    }

    Sent send(String what, String data, BigInteger valueWei, Consumer<String> beforeSend) {
        String from = account();
        simulate(what, data, valueWei);
        BigInteger gas = estimate(what, data, valueWei).multiply(BigInteger.valueOf(100 + GAS_HEADROOM_PERCENT))
                .divide(BigInteger.valueOf(100));
        BigInteger nonce = rpc("eth_getTransactionCount", () -> web3j.ethGetTransactionCount(from,
                DefaultBlockParameterName.PENDING).send().getTransactionCount());
        BigInteger[] fees = fees();
        RawTransaction tx = RawTransaction.createTransaction(chainId, nonce, gas, address, valueWei, data, fees[0], fees[1]);
        String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, credentials));
        String txHash = Hash.sha3(signed);
        beforeSend.accept(txHash);
        EthSendTransaction sent = rpc("eth_sendRawTransaction", () -> web3j.ethSendRawTransaction(signed).send());
        if (sent.hasError() && !knows(txHash)) {
            throw new L1Exception(what + ": the L1 refused the transaction: " + sent.getError().getMessage(), null);
        }
        TransactionReceipt receipt = awaitReceipt(what, txHash);
        if (!receipt.isStatusOK()) {
            throw new MarketplaceRevertException(what + " in " + txHash, "status 0 after a passing simulation (the state"
                    + " changed in the same block)");
        }
        return new Sent(txHash, receipt.getGasUsed().longValueExact(), receipt.getBlockNumber().longValueExact());
    }

    void simulate(String what, String data, BigInteger valueWei) {
        EthCall sim = rpc("eth_call", () -> web3j.ethCall(Transaction.createFunctionCallTransaction(
                credentials == null ? null : credentials.getAddress(), null, null, null, address, valueWei, data),
                DefaultBlockParameterName.PENDING).send());
        if (sim.hasError() || sim.isReverted()) {
            Object raw = sim.hasError() ? sim.getError().getData() : sim.getValue();
            throw new MarketplaceRevertException(what, MarketplaceErrors.decode(raw == null ? "0x" : raw.toString()));
        }
    }

    BigInteger estimate(String what, String data, BigInteger valueWei) {
        EthEstimateGas est = rpc("eth_estimateGas", () -> web3j.ethEstimateGas(Transaction.createFunctionCallTransaction(
                credentials == null ? null : credentials.getAddress(), null, null, null, address, valueWei, data)).send());
        if (est.hasError()) {
            Object raw = est.getError().getData();
            throw new MarketplaceRevertException(what,
                    raw == null ? est.getError().getMessage() : MarketplaceErrors.decode(raw.toString()));
        }
        return est.getAmountUsed();
    }

    private BigInteger[] fees() {
        var block = rpc("eth_getBlockByNumber", () -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                .send().getBlock());
        if (block.getBaseFeePerGas() == null) {
            throw new L1Exception("the L1 reports no base fee; the gateway sends EIP-1559 transactions only", null);
        }
        BigInteger tip = rpc("eth_maxPriorityFeePerGas", () -> web3j.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas());
        return new BigInteger[] {tip, block.getBaseFeePerGas().multiply(BigInteger.TWO).add(tip)};
    }

    private TransactionReceipt awaitReceipt(String what, String txHash) {
        long deadline = System.nanoTime() + receiptTimeoutMs * 1_000_000;
        while (true) {
            Optional<TransactionReceipt> r = receipt(txHash);
            if (r.isPresent()) return r.get();
            if (System.nanoTime() > deadline) {
                throw new L1Exception(what + ": no receipt for " + txHash + " within " + receiptTimeoutMs + " ms", null);
            }
            try {
                Thread.sleep(RECEIPT_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new L1Exception(what + ": interrupted while waiting for " + txHash, e);
            }
        }
    }

    interface Rpc<T> {
        T get() throws IOException;
    }

    /** One JSON-RPC request; transport failures become {@link L1Exception}, input errors pass unchanged. */
    static <T> T rpc(String method, Rpc<T> rpc) {
        try {
            return rpc.get();
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException || e instanceof L1Exception) throw (RuntimeException) e;
            throw new L1Exception(method + " failed: " + e.getMessage(), e);
        }
    }
}
