package dev.cortado.settlement.l1;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.L1Client.L1Exception;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.MarketplaceL1;
import dev.cortado.settlement.port.SlotClock;
import dev.cortado.settlement.port.StakeTableEvent;
import dev.cortado.settlement.port.WindowState;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * {@link MarketplaceL1} over JSON-RPC. Every view is an {@code eth_call} at an explicit block number, so the
 * answer is the state of that block and not of whatever block is latest when the call lands. Calls are
 * serialised because the generated wrapper carries the block parameter as instance state.
 */
public final class Web3jMarketplaceL1 implements MarketplaceL1 {
    private static final Address ZERO = new Address(new byte[Address.LENGTH]);

    private final Web3j web3j;
    private final String marketplace;
    private final String stakeTable;
    private final SequencingMarketplace market;
    private final MarketClock clock;

    private Web3jMarketplaceL1(Web3j web3j, String marketplace, String stakeTable) {
        this.web3j = web3j;
        this.marketplace = marketplace;
        this.stakeTable = stakeTable;
        this.market = SequencingMarketplace.load(marketplace, web3j, new ReadonlyTransactionManager(web3j, ZERO.toHex()),
                new DefaultGasProvider());
        SequencingMarketplace.Params p = view("params", market.params());
        long finality = p.finalitySlots.longValueExact();
        long auction = Math.addExact(Math.addExact(p.commitSlots.longValueExact(), p.revealSlots.longValueExact()),
                Math.addExact(p.resolutionSlots.longValueExact(), finality));
        this.clock = new MarketClock(new SlotClock(p.genesisTime.longValueExact(), p.secondsPerSlot.longValueExact()),
                p.slotsPerWindow.longValueExact(), finality, auction);
    }

    /** Connects and reads the marketplace's clock; fails with a clear error when no marketplace is there. */
    public static Web3jMarketplaceL1 connect(String rpcUrl, String marketplace, String stakeTable) {
        for (String a : List.of(marketplace, stakeTable)) {
            if (a == null || !a.matches("0x[0-9a-fA-F]{40}")) {
                throw new IllegalArgumentException("contract address must be 0x followed by 40 hex digits, got " + a);
            }
        }
        Web3j web3j = Web3j.build(RpcHttp.service(rpcUrl));
        try {
            return new Web3jMarketplaceL1(web3j, marketplace, stakeTable);
        } catch (RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    @Override
    public MarketClock clock() {
        return clock;
    }

    @Override
    public List<Long> marketplaceEventBlocks(long fromBlock, long toBlock) {
        TreeSet<Long> blocks = new TreeSet<>();
        for (Log log : logs(marketplace, fromBlock, toBlock, null)) blocks.add(log.getBlockNumber().longValueExact());
        return List.copyOf(blocks);
    }

    @Override
    public synchronized WindowState windowAt(long blockNumber, long window) {
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber));
        long blockTime = timestampOf(blockNumber);
        boolean fin = clock.isFinalAt(window, blockTime);
        if (!deployedAt(at)) {
            // Before its deployment block the marketplace had no rollups: every namespace was open.
            return new WindowState(window, false, List.of(), Map.of());
        }
        market.setDefaultBlockParameter(at);
        BigInteger w = BigInteger.valueOf(window);
        int count = view("rollupCount", market.rollupCount()).intValueExact();
        if (count > WindowState.MAX_ROLLUPS) {
            throw new L1Exception("marketplace reports " + count + " rollups, more than " + WindowState.MAX_ROLLUPS, null);
        }
        List<WindowState.Rollup> rollups = new ArrayList<>();
        Map<Long, Address> winners = new HashMap<>();
        for (int i = 0; i < count; i++) {
            BigInteger index = BigInteger.valueOf(i);
            var held = view("namespaceAt", market.namespaceAt(index, w));
            if (!held.component2()) continue;
            var terms = view("termsAt", market.termsAt(index, w));
            long ns = held.component1().longValueExact();
            Address defaultSequencer = Address.fromHex(terms.component2());
            rollups.add(new WindowState.Rollup(i, ns, defaultSequencer, terms.component1()));
            if (fin) {
                Address winner = Address.fromHex(view("winnerOf", market.winnerOf(w, BigInteger.valueOf(ns))));
                if (!winner.equals(ZERO) && !winner.equals(defaultSequencer)) winners.put(ns, winner);
            }
        }
        return new WindowState(window, fin, rollups, winners);
    }

    @Override
    public List<StakeTableEvent> stakeTableEvents(long fromBlock, long toBlock) {
        String registered = EventEncoder.encode(StakeTable.VALIDATORREGISTERED_EVENT);
        String exited = EventEncoder.encode(StakeTable.VALIDATOREXITED_EVENT);
        List<StakeTableEvent> out = new ArrayList<>();
        for (Log log : logs(stakeTable, fromBlock, toBlock, List.of(registered, exited))) {
            long block = log.getBlockNumber().longValueExact();
            int index = log.getLogIndex().intValueExact();
            String topic = log.getTopics().getFirst();
            if (topic.equalsIgnoreCase(registered)) {
                var e = StakeTable.getValidatorRegisteredEventFromLog(log);
                out.add(new StakeTableEvent.Registered(block, index, Address.fromHex(e.account),
                        e.validatorId.longValueExact(), e.blsKey, e.stakeGwei.longValueExact(), e.isDa));
            } else {
                var e = StakeTable.getValidatorExitedEventFromLog(log);
                out.add(new StakeTableEvent.Exited(block, index, Address.fromHex(e.account), e.validatorId.longValueExact()));
            }
        }
        return out;
    }

    private List<Log> logs(String address, long fromBlock, long toBlock, List<String> topics) {
        if (fromBlock < 0 || toBlock < fromBlock || toBlock - fromBlock >= MAX_LOG_RANGE_BLOCKS) {
            throw new IllegalArgumentException("log range [" + fromBlock + ", " + toBlock + "] must be non-empty and at most "
                    + MAX_LOG_RANGE_BLOCKS + " blocks");
        }
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), address);
        if (topics != null) filter.addOptionalTopics(topics.toArray(String[]::new));
        try {
            EthLog answer = web3j.ethGetLogs(filter).send();
            if (answer.hasError()) throw new L1Exception("eth_getLogs(" + address + ") failed: " + answer.getError().getMessage(), null);
            List<Log> out = new ArrayList<>();
            for (EthLog.LogResult<?> r : answer.getLogs()) {
                if (r.get() instanceof Log log && !log.isRemoved()) out.add(log);
            }
            return out;
        } catch (IOException e) {
            throw new L1Exception("eth_getLogs(" + address + ") failed: " + e.getMessage(), e);
        }
    }

    private boolean deployedAt(DefaultBlockParameter at) {
        try {
            String code = web3j.ethGetCode(marketplace, at).send().getCode();
            return code != null && !code.equals("0x");
        } catch (IOException e) {
            throw new L1Exception("eth_getCode(" + marketplace + ") failed: " + e.getMessage(), e);
        }
    }

    private long timestampOf(long blockNumber) {
        try {
            var block = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber)), false)
                    .send().getBlock();
            if (block == null) throw new L1Exception("the L1 has no block " + blockNumber, null);
            return block.getTimestamp().longValueExact();
        } catch (IOException e) {
            throw new L1Exception("eth_getBlockByNumber(" + blockNumber + ") failed: " + e.getMessage(), e);
        }
    }

    private static <T> T view(String name, RemoteFunctionCall<T> call) {
        try {
            return call.send();
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new L1Exception("SequencingMarketplace." + name + " failed: " + msg, e);
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
