package dev.cortado.settlement.l1;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Head;
import java.io.IOException;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.http.HttpService;

/** {@link L1Client} over JSON-RPC with web3j. */
public final class Web3jL1Client implements L1Client {
    private final Web3j web3j;
    private final long chainId;

    private Web3jL1Client(Web3j web3j, long chainId) {
        this.web3j = web3j;
        this.chainId = chainId;
    }

    /** Connects to {@code rpcUrl} and checks that it serves {@code expectedChainId}. */
    public static Web3jL1Client connect(String rpcUrl, long expectedChainId) {
        Web3j web3j = Web3j.build(RpcHttp.service(rpcUrl));
        try {
            long actual = web3j.ethChainId().send().getChainId().longValueExact();
            if (actual != expectedChainId) {
                throw new IllegalArgumentException("L1 at " + rpcUrl + " has chain id " + actual + ", expected " + expectedChainId);
            }
            return new Web3jL1Client(web3j, actual);
        } catch (IOException e) {
            web3j.shutdown();
            throw new L1Exception("cannot reach the L1 at " + rpcUrl + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    @Override
    public long chainId() {
        return chainId;
    }

    @Override
    public L1Head latestHead() {
        return head(DefaultBlockParameterName.LATEST);
    }

    @Override
    public L1Head finalizedHead() {
        return head(DefaultBlockParameterName.FINALIZED);
    }

    @Override
    public java.util.Optional<L1Head> headAt(long number) {
        if (number < 0) throw new IllegalArgumentException("L1 block number must be >= 0, got " + number);
        try {
            EthBlock.Block block = web3j.ethGetBlockByNumber(
                    org.web3j.protocol.core.DefaultBlockParameter.valueOf(java.math.BigInteger.valueOf(number)), false)
                    .send().getBlock();
            if (block == null) return java.util.Optional.empty();
            return java.util.Optional.of(new L1Head(block.getNumber().longValueExact(), Bytes32.fromHex(block.getHash()),
                    block.getTimestamp().longValueExact()));
        } catch (IOException e) {
            throw new L1Exception("eth_getBlockByNumber(" + number + ") failed: " + e.getMessage(), e);
        }
    }

    private L1Head head(DefaultBlockParameterName tag) {
        try {
            EthBlock.Block block = web3j.ethGetBlockByNumber(tag, false).send().getBlock();
            if (block == null) {
                throw new L1Exception("the L1 has no " + tag.getValue() + " block yet", null);
            }
            return new L1Head(block.getNumber().longValueExact(), Bytes32.fromHex(block.getHash()),
                    block.getTimestamp().longValueExact());
        } catch (IOException e) {
            throw new L1Exception("eth_getBlockByNumber(" + tag.getValue() + ") failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
