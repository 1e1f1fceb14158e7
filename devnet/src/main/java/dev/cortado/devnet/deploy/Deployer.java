package dev.cortado.devnet.deploy;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.contracts.generated.LightClient;
import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.contracts.generated.StakeTable;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import dev.cortado.settlement.l1.RpcHttp;
import org.web3j.tx.Contract;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** Deploys the four L1 contracts (light client, stake table, marketplace, batch inbox), plus each rollup inbox asked for, in one go. */
public final class Deployer {
    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
    private static final String NO_PROVER = "0x0000000000000000000000000000000000000000";
    /** Enough for the largest contract's creation; the node charges only what is used. */
    private static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(8_000_000);
    private static final long RECEIPT_POLL_MS = 50;
    private static final int RECEIPT_POLL_ATTEMPTS = 1_200;

    private Deployer() {
    }

    /**
     * Deploys every contract from {@code deployer} to the L1 at {@code rpcUrl}.
     *
     * @throws IllegalStateException when the node's chain id is not {@code chainId} or a deployment fails
     */
    public static Deployment deploy(String rpcUrl, long chainId, Credentials deployer, DeployConfig config) {
        Web3j web3j = Web3j.build(RpcHttp.service(rpcUrl));
        try {
            return deploy(web3j, rpcUrl, chainId, deployer, config);
        } finally {
            web3j.shutdown();
        }
    }

    /** As {@link #deploy(String, long, Credentials, DeployConfig)} over an existing client. */
    public static Deployment deploy(Web3j web3j, String rpcUrl, long chainId, Credentials deployer,
            DeployConfig config) {
        try {
            long nodeChainId = web3j.ethChainId().send().getChainId().longValueExact();
            if (nodeChainId != chainId) {
                throw new IllegalStateException("the node at " + rpcUrl + " serves chain " + nodeChainId
                        + ", expected " + chainId);
            }
            TransactionManager tm = new RawTransactionManager(web3j, deployer, chainId,
                    new PollingTransactionReceiptProcessor(web3j, RECEIPT_POLL_MS, RECEIPT_POLL_ATTEMPTS));
            // Twice the node's price keeps the deployment ahead of base-fee rises on a busy devnet.
            BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().multiply(BigInteger.TWO);
            ContractGasProvider gas = new StaticGasProvider(gasPrice, DEPLOY_GAS_LIMIT);

            DeployConfig.LightClientConfig lc = config.lightClient();
            LightClient lightClient = LightClient.deploy(web3j, tm, gas, deployer.getAddress(),
                    BigInteger.valueOf(lc.hotShotChainId()),
                    new LightClient.LightClientState(BigInteger.valueOf(lc.genesisView()),
                            BigInteger.valueOf(lc.genesisHeight()), lc.genesisBlockCommRoot().bytes(),
                            lc.stakeTableComm().bytes()),
                    BigInteger.valueOf(lc.historyCapacity()), lc.permissionedProver().orElse(NO_PROVER)).send();

            DeployConfig.StakeTableConfig st = config.stakeTable();
            StakeTable stakeTable = StakeTable.deploy(web3j, tm, gas, BigInteger.valueOf(st.minStakeGwei()),
                    BigInteger.valueOf(st.exitEscrowSec()), BigInteger.valueOf(st.maxValidators()),
                    lightClient.getContractAddress()).send();

            DeployConfig.MarketplaceConfig m = config.marketplace();
            DeployConfig.SlotClockConfig clock = config.slotClock();
            SequencingMarketplace marketplace = SequencingMarketplace.deploy(web3j, tm, gas,
                    new SequencingMarketplace.Params(BigInteger.valueOf(clock.genesisTimeSec()),
                            BigInteger.valueOf(clock.secondsPerSlot()), BigInteger.valueOf(m.slotsPerWindow()),
                            BigInteger.valueOf(m.commitSlots()), BigInteger.valueOf(m.revealSlots()),
                            BigInteger.valueOf(m.resolutionSlots()), BigInteger.valueOf(m.finalitySlots()),
                            BigInteger.valueOf(m.withdrawalDelaySec()),
                            BigInteger.valueOf(m.maxBidsPerWindow()), BigInteger.valueOf(m.bidBondWei()),
                            BigInteger.valueOf(m.commitFeeWei()), m.treasury()), deployer.getAddress()).send();

            DeployConfig.BatchInboxConfig bi = config.batchInbox();
            BatchInbox batchInbox = BatchInbox.deploy(web3j, tm, gas, deployer.getAddress(),
                    BigInteger.valueOf(bi.firstHeight()), bi.posters()).send();

            List<Deployment.RollupInbox> rollupInboxes = new ArrayList<>();
            for (DeployConfig.RollupInboxConfig r : config.rollupInboxes()) {
                BatchInbox own = BatchInbox.deploy(web3j, tm, gas, deployer.getAddress(),
                        BigInteger.valueOf(r.inbox().firstHeight()), r.inbox().posters()).send();
                rollupInboxes.add(new Deployment.RollupInbox(r.namespace(), deployed(own), r.inbox().posters()));
            }

            Deployment d = new Deployment(chainId, rpcUrl, deployed(lightClient), deployed(stakeTable),
                    deployed(marketplace), deployed(batchInbox), clock,
                    new Deployment.Schedule(m.slotsPerWindow(), m.commitSlots(), m.revealSlots(), m.resolutionSlots(),
                            m.finalitySlots()),
                    lc.hotShotChainId(), rollupInboxes);
            LOG.info("deployed LightClient {}, StakeTable {}, SequencingMarketplace {}, BatchInbox {}, rollup inboxes {}",
                    d.lightClient().address(), d.stakeTable().address(), d.marketplace().address(),
                    d.batchInbox().address(), rollupInboxes.stream().map(r -> r.namespace() + "=" + r.inbox().address()).toList());
            return d;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("deployment to " + rpcUrl + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sends {@code wei} from {@code from} to {@code to} and waits for its receipt: how the devnet funds an account
     * that is not one of the L1's own (a rollup's poster key).
     *
     * @throws IllegalStateException when the transfer fails or is not mined
     */
    public static void fund(Web3j web3j, long chainId, Credentials from, String to, BigInteger wei) {
        DeployConfig.requireAddress(to, "to");
        if (wei.signum() <= 0) throw new IllegalArgumentException("wei must be positive, got " + wei);
        try {
            TransactionManager tm = new RawTransactionManager(web3j, from, chainId,
                    new PollingTransactionReceiptProcessor(web3j, RECEIPT_POLL_MS, RECEIPT_POLL_ATTEMPTS));
            BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().multiply(BigInteger.TWO);
            var sent = tm.sendTransaction(gasPrice, BigInteger.valueOf(21_000), to, "", wei);
            if (sent.hasError()) throw new IllegalStateException("funding " + to + " failed: " + sent.getError().getMessage());
            TransactionReceipt receipt = new PollingTransactionReceiptProcessor(web3j, RECEIPT_POLL_MS, RECEIPT_POLL_ATTEMPTS)
                    .waitForTransactionReceipt(sent.getTransactionHash());
            if (!receipt.isStatusOK()) throw new IllegalStateException("funding " + to + " reverted");
        } catch (IOException | org.web3j.protocol.exceptions.TransactionException e) {
            throw new IllegalStateException("funding " + to + " failed: " + e.getMessage(), e);
        }
    }

    private static Deployment.DeployedContract deployed(Contract c) throws IOException {
        Optional<TransactionReceipt> receipt = c.getTransactionReceipt();
        if (receipt.isEmpty() || !receipt.get().isStatusOK()) {
            throw new IllegalStateException("deployment of " + c.getClass().getSimpleName() + " did not succeed");
        }
        return new Deployment.DeployedContract(c.getContractAddress(), receipt.get().getBlockNumber().longValueExact());
    }
}
