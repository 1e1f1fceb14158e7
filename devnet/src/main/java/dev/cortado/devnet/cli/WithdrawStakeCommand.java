package dev.cortado.devnet.cli;

import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.l1.RpcHttp;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.LightClientReader;
import dev.cortado.settlement.stake.StakeWithdrawal;
import dev.cortado.settlement.stake.StakeWithdrawal.Plan;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado withdraw-stake}: pays an exited validator its stake from StakeTable.sol once LightClient.sol's
 * current table no longer holds it. The table comes from a node's {@code GET /v0/epoch/{e}} answer and is checked
 * against LightClient.sol's commitment first; the call is simulated before it is sent, so a refusal (escrow not
 * elapsed, table still holding the stake) is one decoded line and costs no gas. Exit code 0 when paid, 1 otherwise.
 */
@Command(name = "withdraw-stake", mixinStandardHelpOptions = true,
        description = "Withdraw an exited validator's stake from StakeTable.sol once the light client's table drops it.")
public final class WithdrawStakeCommand implements Callable<Integer> {
    /** Headroom over eth_estimateGas, in percent: the table is calldata, so the estimate is close. */
    private static final int GAS_HEADROOM_PERCENT = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--rpc", paramLabel = "URL", description = "L1 JSON-RPC URL (http or https)")
    String rpc;

    @Option(names = "--stake-table", paramLabel = "0xADDR", description = "StakeTable contract address")
    String stakeTable;

    @Option(names = "--node", paramLabel = "URL", description = "a HotShot node's API base URL")
    String node;

    @Option(names = "--key", paramLabel = "0xPRIVATEKEY", description = "the validator account's private key")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = "file holding the validator account's private key")
    Path keyFile;

    @Option(names = "--epoch-blocks", paramLabel = "N", description = "blocks per stake-table epoch (the nodes' [epochs]"
            + " blocks; default: from the node's GET /v0/epoch/0, whose last height is N - 1)")
    Long epochBlocks;

    @Option(names = "--snapshot-lead", paramLabel = "N", defaultValue = "3",
            description = "the nodes' [epochs] snapshot_lead_blocks (default 3); which epoch a height is in does not "
                    + "depend on it, it is only checked against --epoch-blocks")
    long snapshotLead;

    @Override
    public Integer call() throws Exception {
        String rpcUrl = PostLightClientCommand.httpUrl("--rpc", rpc).toString();
        if (stakeTable == null || !stakeTable.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("--stake-table must be 0x followed by 40 hex digits, got '" + stakeTable + "'");
        }
        NodeFollower api = new NodeFollower(PostLightClientCommand.httpUrl("--node", node));
        EpochSchedule schedule = new EpochSchedule(epochBlocks != null ? epochBlocks : epochBlocksOf(api, node), snapshotLead);
        Credentials credentials = CliKeys.credentials(key, keyFile,
                "give the validator account's key with --key 0x... or --key-file FILE");
        PrintWriter out = spec.commandLine().getOut();
        Web3j web3j = Web3j.build(RpcHttp.service(rpcUrl));
        try {
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().shiftLeft(1);
            RawTransactionManager tm = new RawTransactionManager(web3j, credentials, chainId,
                    new PollingTransactionReceiptProcessor(web3j, 500, 240));
            StakeTable contract = StakeTable.load(stakeTable, web3j, tm, new StaticGasProvider(gasPrice, BigInteger.ZERO));
            long id = contract.validatorIdOf(credentials.getAddress()).send().longValueExact();
            if (id == 0) throw new IllegalArgumentException(credentials.getAddress() + " never registered on " + stakeTable);
            var record = contract.validator(BigInteger.valueOf(id)).send();
            // Status.Active: every new table holds it until it exits, so waiting would not help.
            if (record.component4().intValueExact() == 1) {
                throw new IllegalArgumentException("validator " + id + " of " + credentials.getAddress()
                        + " is still active: it leaves the table with requestExit first");
            }
            Bytes32 keyHash = Bytes32.of(record.component6());
            String lightClient = contract.lightClient().send();
            Plan plan;
            long epoch;
            try (LightClientReader reader = LightClientPoster.openReader(rpcUrl, lightClient, 4)) {
                epoch = StakeWithdrawal.tableEpoch(schedule, reader.finalizedState().height());
                plan = StakeWithdrawal.plan(api.epoch(epoch), reader.stakeTableCommitment(), id, keyHash,
                        k -> keyUsedBy(contract, k));
            }
            switch (plan) {
                case Plan.StillHeld held -> {
                    out.println("not yet: LightClient.sol's current table (epoch " + epoch + ") holds validator " + id
                            + " at index " + held.index() + "; its stake is released once the light client rotates past it");
                    out.flush();
                    return 1;
                }
                case Plan.NotCurrentTable wrong -> throw new IllegalStateException("the node's table for epoch " + epoch
                        + " is " + wrong.answered() + ", but LightClient.sol holds " + wrong.lightClient()
                        + " (another --epoch-blocks, or a node that lies)");
                case Plan.NoLaterValidator newest -> {
                    out.println("not yet: no validator in LightClient.sol's table (epoch " + epoch + ") registered after "
                            + id + " (the newest is " + newest.newestId() + "), so it cannot prove the exit");
                    out.flush();
                    return 1;
                }
                case Plan.Ready ready -> {
                    String data = contract.withdraw(ready.argument()).encodeFunctionCall();
                    EthCall sim = web3j.ethCall(Transaction.createEthCallTransaction(credentials.getAddress(), stakeTable,
                            data), DefaultBlockParameterName.LATEST).send();
                    if (sim.hasError() || sim.isReverted()) {
                        Object revert = sim.hasError() ? sim.getError().getData() : sim.getRevertReason();
                        out.println("refused: " + StakeWithdrawal.decodeRevert(revert == null ? null : revert.toString()));
                        out.flush();
                        return 1;
                    }
                    BigInteger gas = web3j.ethEstimateGas(Transaction.createFunctionCallTransaction(
                            credentials.getAddress(), null, null, null, stakeTable, data)).send().getAmountUsed();
                    var sent = tm.sendTransaction(gasPrice, gas.multiply(BigInteger.valueOf(100 + GAS_HEADROOM_PERCENT))
                            .divide(BigInteger.valueOf(100)), stakeTable, data, BigInteger.ZERO);
                    if (sent.hasError()) throw new IllegalStateException("withdraw not sent: " + sent.getError().getMessage());
                    TransactionReceipt r = new PollingTransactionReceiptProcessor(web3j, 500, 240)
                            .waitForTransactionReceipt(sent.getTransactionHash());
                    if (!r.isStatusOK()) throw new IllegalStateException("withdraw failed on L1: " + r);
                    var paid = StakeTable.getStakeWithdrawnEvents(r).getFirst();
                    out.println("withdrew " + paid.amountWei + " wei for validator " + id + " in " + r.getTransactionHash()
                            + " at L1 block " + r.getBlockNumber() + " (LightClient.sol's table of epoch " + epoch + ")");
                    out.flush();
                    return 0;
                }
            }
        } finally {
            web3j.shutdown();
        }
    }

    /**
     * Epoch 0 is heights {@code 0..E-1}, so the node's answer for it gives E. The node is not trusted for it: a wrong
     * E picks a wrong epoch, whose table then fails the check against LightClient.sol's commitment.
     */
    static long epochBlocksOf(NodeFollower api, String node) {
        EpochAnswer zero = api.epoch(0);
        if (zero.lastHeight() == Long.MAX_VALUE) {
            throw new IllegalArgumentException("the node at " + node + " runs one stake table for the whole chain (no"
                    + " [epochs]): LightClient.sol never rotates past it, so no exited stake can be withdrawn there");
        }
        if (zero.firstHeight() != 0 || zero.lastHeight() < 3) {
            throw new IllegalStateException("the node at " + node + " answers epoch 0 as heights " + zero.firstHeight()
                    + ".." + zero.lastHeight() + ", which no network runs (epoch 0 starts at 0 and has at least 4"
                    + " blocks); give --epoch-blocks");
        }
        return zero.lastHeight() + 1;
    }

    private static long keyUsedBy(StakeTable contract, Bytes32 keyHash) {
        try {
            return contract.keyUsedBy(keyHash.bytes()).send().longValueExact();
        } catch (Exception e) {
            throw new IllegalStateException("StakeTable.keyUsedBy(" + keyHash + ") failed: " + e.getMessage(), e);
        }
    }
}
