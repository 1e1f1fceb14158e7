package dev.cortado.settlement.lightclient;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.lightclient.LightClientVerificationException;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.NodeUnavailableException;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.l1.AccountSender;
import dev.cortado.settlement.port.L1Client.L1Exception;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Carries certified light-client states from HotShot nodes to LightClient.sol: fetch the latest
 * answer from every configured node, verify it in Java (a bad answer never becomes a transaction),
 * skip it when the contract already holds that height or a newer one, simulate the call (a revert
 * there costs no gas), then sign, send and wait for the receipt. Reverts are decoded into the custom
 * error's name and arguments. Sends go through an {@link AccountSender}, so it
 * shares its account with a batch poster of the same process without nonce clashes.
 */
public final class LightClientPoster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LightClientPoster.class);
    /** Headroom over the estimate: the pairing precompile's cost does not vary, but storage refunds do. */
    private static final long GAS_HEADROOM_PERCENT = 25;

    /**
     * @param rpcUrl the L1 JSON-RPC endpoint
     * @param lightClientAddress the LightClient.sol address
     * @param nodes the HotShot nodes' API base URLs; the highest verified answer wins
     * @param trust the stake table the poster checks answers against
     * @param maxRpcAttempts attempts per L1 request before a transport failure is final (at least 1)
     * @param retryBackoffMs the wait before the first retry, doubled for each further one
     * @param receiptPollMs how often to ask for the receipt
     * @param receiptTimeoutMs how long to wait for the receipt
     */
    public record Config(String rpcUrl, String lightClientAddress, List<URI> nodes, StakeTableTrust trust,
            int maxRpcAttempts, long retryBackoffMs, long receiptPollMs, long receiptTimeoutMs, EpochSchedule epochs) {
        /** A poster for a network whose table never changes (no epochs). */
        public Config(String rpcUrl, String lightClientAddress, List<URI> nodes, StakeTableTrust trust,
                int maxRpcAttempts, long retryBackoffMs, long receiptPollMs, long receiptTimeoutMs) {
            this(rpcUrl, lightClientAddress, nodes, trust, maxRpcAttempts, retryBackoffMs, receiptPollMs, receiptTimeoutMs,
                    null);
        }

        /** The same poster following the network's epochs: it posts each rotation before later states. */
        public Config withEpochs(EpochSchedule schedule) {
            return new Config(rpcUrl, lightClientAddress, nodes, trust, maxRpcAttempts, retryBackoffMs, receiptPollMs,
                    receiptTimeoutMs, Objects.requireNonNull(schedule, "schedule"));
        }

        public Config {
            Objects.requireNonNull(rpcUrl, "rpcUrl");
            Objects.requireNonNull(trust, "trust");
            nodes = List.copyOf(nodes);
            if (nodes.isEmpty()) throw new IllegalArgumentException("the poster needs at least one node URL");
            if (lightClientAddress == null || !lightClientAddress.matches("0x[0-9a-fA-F]{40}")) {
                throw new IllegalArgumentException("LightClient address must be 0x followed by 40 hex digits, got "
                        + lightClientAddress);
            }
            if (maxRpcAttempts < 1) throw new IllegalArgumentException("maxRpcAttempts must be >= 1, got " + maxRpcAttempts);
            if (retryBackoffMs < 0) throw new IllegalArgumentException("retryBackoffMs must be >= 0, got " + retryBackoffMs);
            if (receiptPollMs < 1) throw new IllegalArgumentException("receiptPollMs must be >= 1, got " + receiptPollMs);
            if (receiptTimeoutMs < receiptPollMs) {
                throw new IllegalArgumentException("receiptTimeoutMs must be >= receiptPollMs, got " + receiptTimeoutMs);
            }
        }

        /** Defaults: 4 attempts from 250 ms backoff, receipts polled every 100 ms for up to 2 minutes. */
        public static Config of(String rpcUrl, String lightClientAddress, List<URI> nodes, StakeTableTrust trust) {
            return new Config(rpcUrl, lightClientAddress, nodes, trust, 4, 250, 100, 120_000);
        }
    }

    /** What one attempt did. */
    public sealed interface PostResult {
        long height();

        /** The state went on chain in {@code txHash}, using {@code gasUsed} gas, in L1 block {@code l1Block}. */
        record Posted(long height, long view, long gasUsed, String txHash, long l1Block) implements PostResult {
        }

        /** The contract already holds {@code contractHeight} ≥ {@code height}; nothing was sent. */
        record Skipped(long height, long contractHeight) implements PostResult {
        }
    }

    /** Totals of a {@link #run} loop; {@code lastPostedHeight} is -1 when nothing was posted. */
    public record RunSummary(int posted, int skipped, int failed, long lastPostedHeight) {
    }

    private final Config config;
    private final Credentials credentials;
    private final LightClientRpc rpc;
    private final LightClientContractReader reader;
    private final AccountSender sender;
    private final LightClient contract;
    private final long l1ChainId;
    private final long hotShotChainId;
    private final List<NodeFollower> nodes;

    private LightClientPoster(Config config, Credentials credentials, AccountSender sender, LightClientRpc rpc) {
        this.config = config;
        this.credentials = credentials;
        this.sender = sender;
        this.rpc = rpc;
        this.reader = new LightClientContractReader(rpc, config.lightClientAddress());
        this.contract = reader.contract;
        this.l1ChainId = rpc.send("eth_chainId", rpc.web3j.ethChainId()).getChainId().longValueExact();
        this.hotShotChainId = reader.hotShotChainId();
        this.nodes = config.nodes().stream().map(NodeFollower::new).toList();
    }

    /**
     * Connects to the L1 and reads the contract's HotShot chain id (which fails if no LightClient is
     * there). Sends go through the process-wide {@link AccountSender} of the account.
     */
    public static LightClientPoster connect(Config config, Credentials credentials) {
        return connect(config, credentials, AccountSender.of(credentials.getAddress()));
    }

    /** The same, sending through {@code sender}: hand the batch poster of this key the same one. */
    public static LightClientPoster connect(Config config, Credentials credentials, AccountSender sender) {
        Objects.requireNonNull(credentials, "credentials");
        if (!sender.isFor(credentials.getAddress())) {
            throw new IllegalArgumentException("the sender is for " + sender.address() + ", the key is "
                    + credentials.getAddress());
        }
        LightClientRpc rpc = new LightClientRpc(config.rpcUrl(), config.maxRpcAttempts(), config.retryBackoffMs());
        try {
            return new LightClientPoster(config, credentials, sender, rpc);
        } catch (RuntimeException e) {
            rpc.close();
            throw e;
        }
    }

    /** A reader of its own (closing it closes its connection). */
    public static LightClientReader openReader(String rpcUrl, String lightClientAddress, int maxRpcAttempts) {
        LightClientRpc rpc = new LightClientRpc(rpcUrl, maxRpcAttempts, 250);
        return new LightClientContractReader(rpc, lightClientAddress) {
            @Override
            public void close() {
                rpc.close();
            }
        };
    }

    /** A reader over this poster's connection; closing it does nothing. */
    public LightClientReader reader() {
        return reader;
    }

    public long hotShotChainId() {
        return hotShotChainId;
    }

    public String address() {
        return credentials.getAddress();
    }

    /**
     * Fetches the latest answer from every node, keeps the highest one that verifies, and posts it
     * unless the contract already has its height. A lying node is logged and outvoted by an honest
     * one; when no node gives a valid answer, the first verification failure is thrown.
     */
    public PostResult postLatest() {
        Bytes32 contractTable = reader.stakeTableCommitment();
        LightClientCalldata best = null;
        List<RuntimeException> failures = new ArrayList<>();
        for (NodeFollower node : nodes) {
            try {
                LightClientCalldata c = LightClientCalldata.fromAnswer(node.latestLightClient(), hotShotChainId,
                        config.trust(), contractTable);
                if (best == null || c.height() > best.height()) {
                    best = c;
                }
            } catch (LightClientVerificationException | NodeUnavailableException e) {
                LOG.warn("node {}: {}", node.base(), e.getMessage());
                failures.add(e);
            }
        }
        if (best == null && config.epochs() != null && failures.stream().anyMatch(LightClientPoster::signedByAnotherTable)) {
            // The newest states are signed by a later table than L1 holds: post the handover first.
            var handover = PendingHandover.find(config.epochs(), reader.finalizedState().height(), nodes, hotShotChainId,
                    config.trust(), contractTable);
            if (handover.isPresent()) return post(handover.get());
        }
        if (best == null) {
            RuntimeException first = failures.stream().filter(LightClientVerificationException.class::isInstance)
                    .findFirst().orElse(failures.getFirst());
            failures.stream().filter(f -> f != first).forEach(first::addSuppressed);
            throw first;
        }
        return post(best);
    }

    private static boolean signedByAnotherTable(RuntimeException e) {
        return e instanceof LightClientVerificationException v
                && v.reason() == LightClientVerificationException.Reason.WRONG_STAKE_TABLE;
    }

    /** Verifies {@code answer} and posts it unless the contract already has its height. */
    public PostResult post(LightClientAnswer answer) {
        return post(LightClientCalldata.fromAnswer(answer, hotShotChainId, config.trust(), reader.stakeTableCommitment()));
    }

    /** Posts calldata that was already verified, unless the contract already has its height. */
    public PostResult post(LightClientCalldata calldata) {
        LightClientReader.FinalizedState onChain = reader.finalizedState();
        if (onChain.height() >= calldata.height()) {
            return new PostResult.Skipped(calldata.height(), onChain.height());
        }
        String data = contract.newFinalizedState(calldata.state(), calldata.table(), calldata.signature(),
                calldata.absent()).encodeFunctionCall();
        String to = config.lightClientAddress();
        String from = credentials.getAddress();
        // Simulate first: a revert here is decoded without spending gas.
        EthCall sim = rpc.send("eth_call", rpc.web3j.ethCall(Transaction.createEthCallTransaction(from, to, data),
                DefaultBlockParameterName.LATEST));
        if (sim.hasError() || sim.isReverted()) {
            throw new LightClientRevertException("newFinalizedState(height " + calldata.height() + ")",
                    LightClientCalldata.decodeRevert(LightClientContractReader.revertData(sim)), null);
        }
        EthEstimateGas estimate = rpc.send("eth_estimateGas", rpc.web3j.ethEstimateGas(
                Transaction.createFunctionCallTransaction(from, null, null, null, to, data)));
        if (estimate.hasError()) {
            throw new LightClientRevertException("newFinalizedState(height " + calldata.height() + ") gas estimate",
                    LightClientCalldata.decodeRevert(estimate.getError().getData()), null);
        }
        BigInteger gasLimit = estimate.getAmountUsed().multiply(BigInteger.valueOf(100 + GAS_HEADROOM_PERCENT))
                .divide(BigInteger.valueOf(100));
        String txHash = sender.send("light-client poster", () -> rpc.send("eth_getTransactionCount",
                rpc.web3j.ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)).getTransactionCount()
                .longValueExact(), nonce -> signAndSend(nonce, gasLimit, data, calldata.height()));
        TransactionReceipt receipt = awaitReceipt(txHash);
        long l1Block = receipt.getBlockNumber().longValueExact();
        if (!receipt.isStatusOK()) {
            // It passed the simulation, so the state changed under it, most likely another poster's update
            // in the same block: replaying against the state after that block shows the winner.
            EthCall replay = rpc.send("eth_call", rpc.web3j.ethCall(Transaction.createEthCallTransaction(from, to, data),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(l1Block))));
            throw new LightClientRevertException("newFinalizedState(height " + calldata.height() + ")",
                    LightClientCalldata.decodeRevert(LightClientContractReader.revertData(replay)), txHash);
        }
        return new PostResult.Posted(calldata.height(), calldata.view(), receipt.getGasUsed().longValueExact(), txHash,
                l1Block);
    }

    /** One transaction with {@code nonce}, under the account's lock; refused only when the L1 does not know it. */
    private AccountSender.Attempt<String> signAndSend(long nonce, BigInteger gasLimit, String data, long height) {
        RawTransaction tx = transaction(BigInteger.valueOf(nonce), gasLimit, config.lightClientAddress(), data);
        // Signed once: a retried send after a lost response re-sends the same transaction, never a second one.
        String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, credentials));
        String hash = Hash.sha3(signed);
        EthSendTransaction sent = rpc.send("eth_sendRawTransaction", rpc.web3j.ethSendRawTransaction(signed));
        // A retry after a lost response gets "already known" or "nonce too low" for a transaction the L1
        // did take; only a transaction the L1 does not know is refused (and a clash is re-derived).
        if (sent.hasError() && !knownToTheL1(hash)) {
            return new AccountSender.Attempt.Refused<>("update for height " + height + ": " + sent.getError().getMessage());
        }
        return new AccountSender.Attempt.Accepted<>(hash);
    }

    /**
     * Posts repeatedly until {@code stopCondition} holds, waiting {@code pollIntervalMs} between
     * attempts. Failures (a lying or unreachable node, a revert, an L1 outage) are logged and the loop
     * goes on: the next poll may succeed.
     */
    public RunSummary run(long pollIntervalMs, BooleanSupplier stopCondition) {
        if (pollIntervalMs < 1) throw new IllegalArgumentException("pollIntervalMs must be >= 1, got " + pollIntervalMs);
        int posted = 0;
        int skipped = 0;
        int failed = 0;
        long lastHeight = -1;
        while (!stopCondition.getAsBoolean()) {
            try {
                switch (postLatest()) {
                    case PostResult.Posted p -> {
                        posted++;
                        lastHeight = p.height();
                        LOG.info("posted height {} (view {}) in {} at L1 block {}, {} gas", p.height(), p.view(),
                                p.txHash(), p.l1Block(), p.gasUsed());
                    }
                    case PostResult.Skipped s -> {
                        skipped++;
                        LOG.debug("height {} skipped: the contract is at {}", s.height(), s.contractHeight());
                    }
                }
            } catch (LightClientVerificationException | NodeUnavailableException | LightClientRevertException
                    | L1Exception | AccountSender.SendRefusedException e) {
                failed++;
                LOG.warn("light-client update failed: {}", e.getMessage());
            }
            if (!pause(pollIntervalMs, stopCondition)) {
                break;
            }
        }
        LOG.info("light-client poster stopped: {} posted, {} skipped, {} failed", posted, skipped, failed);
        return new RunSummary(posted, skipped, failed, lastHeight);
    }

    /** Waits up to {@code ms}, checking the stop condition every 50 ms; false when it holds. */
    private static boolean pause(long ms, BooleanSupplier stopCondition) {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (stopCondition.getAsBoolean()) return false;
            if (!LightClientRpc.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)))) return false;
        }
        return !stopCondition.getAsBoolean();
    }

    /** EIP-1559 with a max fee of twice the base fee plus the tip (room for two full blocks in a row). */
    private RawTransaction transaction(BigInteger nonce, BigInteger gasLimit, String to, String data) {
        var latest = rpc.send("eth_getBlockByNumber", rpc.web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false))
                .getBlock();
        if (latest == null || latest.getBaseFeePerGas() == null) {
            throw new L1Exception("the L1 at " + config.rpcUrl() + " reports no base fee: the poster sends EIP-1559"
                    + " transactions only (LightClient needs the Prague precompiles anyway)", null);
        }
        BigInteger tip = rpc.send("eth_maxPriorityFeePerGas", rpc.web3j.ethMaxPriorityFeePerGas()).getMaxPriorityFeePerGas();
        BigInteger maxFee = latest.getBaseFeePerGas().multiply(BigInteger.TWO).add(tip);
        return RawTransaction.createTransaction(l1ChainId, nonce, gasLimit, to, BigInteger.ZERO, data, tip, maxFee);
    }

    private boolean knownToTheL1(String txHash) {
        return rpc.send("eth_getTransactionByHash", rpc.web3j.ethGetTransactionByHash(txHash)).getTransaction().isPresent();
    }

    private TransactionReceipt awaitReceipt(String txHash) {
        long deadline = System.nanoTime() + config.receiptTimeoutMs() * 1_000_000;
        while (true) {
            var r = rpc.send("eth_getTransactionReceipt", rpc.web3j.ethGetTransactionReceipt(txHash)).getTransactionReceipt();
            if (r.isPresent()) return r.get();
            if (System.nanoTime() > deadline) {
                throw new L1Exception("no receipt for " + txHash + " within " + config.receiptTimeoutMs() + " ms", null);
            }
            if (!LightClientRpc.sleep(config.receiptPollMs())) {
                throw new L1Exception("interrupted while waiting for the receipt of " + txHash, null);
            }
        }
    }

    @Override
    public void close() {
        rpc.close();
    }
}
