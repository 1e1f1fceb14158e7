package dev.cortado.settlement.l1;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.L1Client.L1Exception;
import dev.cortado.settlement.port.LightClientL1;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * {@link LightClientL1} over JSON-RPC: {@code finalizedState()} as an {@code eth_call} at an explicit block
 * number. The answer is checked for shape (three words, the view and height fitting in 64 bits) before it is
 * believed; a revert or a short answer is an {@link L1Exception} naming the block.
 */
public final class Web3jLightClientL1 implements LightClientL1 {
    private static final List<TypeReference<?>> OUTPUTS = List.of(new TypeReference<Uint64>() {},
            new TypeReference<Uint64>() {}, new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {});
    private static final String FINALIZED_STATE = FunctionEncoder.encode(new Function("finalizedState", List.of(), OUTPUTS));

    private final Web3j web3j;
    private final String address;

    private Web3jLightClientL1(Web3j web3j, String address) {
        this.web3j = web3j;
        this.address = address;
    }

    public static Web3jLightClientL1 connect(String rpcUrl, String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("light-client address must be 0x followed by 40 hex digits, got " + address);
        }
        return new Web3jLightClientL1(Web3j.build(RpcHttp.service(rpcUrl)), address);
    }

    @Override
    public Optional<Finalized> finalizedStateAt(long blockNumber) {
        if (blockNumber < 0) throw new IllegalArgumentException("L1 block number must be >= 0, got " + blockNumber);
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber));
        String what = "LightClient.finalizedState() at L1 block " + blockNumber;
        try {
            String code = web3j.ethGetCode(address, at).send().getCode();
            if (code == null || code.equals("0x")) return Optional.empty();
            EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(null, address, FINALIZED_STATE), at).send();
            if (call.hasError()) throw new L1Exception(what + " failed: " + call.getError().getMessage(), null);
            if (call.isReverted()) throw new L1Exception(what + " reverted: " + call.getRevertReason(), null);
            @SuppressWarnings("rawtypes")
            List<Type> v = FunctionReturnDecoder.decode(call.getValue(), castOutputs());
            if (v.size() != 3) {
                throw new L1Exception(what + " returned " + call.getValue() + ": is a LightClient deployed at " + address + "?", null);
            }
            return Optional.of(new Finalized(u64(v.get(0)), u64(v.get(1)), Bytes32.of((byte[]) v.get(2).getValue())));
        } catch (IOException e) {
            throw new L1Exception(what + " failed: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<TypeReference<Type>> castOutputs() {
        return (List) OUTPUTS;
    }

    private static long u64(Type<?> t) {
        BigInteger v = (BigInteger) t.getValue();
        if (v.signum() < 0 || v.bitLength() > 63) throw new L1Exception("light-client value " + v + " does not fit a uint63", null);
        return v.longValueExact();
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
