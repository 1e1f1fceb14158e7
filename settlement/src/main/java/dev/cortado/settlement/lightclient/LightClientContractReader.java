package dev.cortado.settlement.lightclient;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.L1Client.L1Exception;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * {@link LightClientReader} over one {@link LightClientRpc} connection: typed {@code eth_call}s of
 * LightClient.sol, reverts decoded into the custom error's name and arguments.
 */
class LightClientContractReader implements LightClientReader {
    private final LightClientRpc rpc;
    private final String address;
    final LightClient contract;

    LightClientContractReader(LightClientRpc rpc, String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("LightClient address must be 0x followed by 40 hex digits, got " + address);
        }
        this.rpc = rpc;
        this.address = address;
        this.contract = LightClient.load(address, rpc.web3j, new ReadonlyTransactionManager(rpc.web3j, address),
                new DefaultGasProvider());
    }

    /** Either the decoded return values or the decoded revert. */
    private sealed interface Outcome {
    }

    private record Returned(List<Type> values) implements Outcome {
    }

    private record Reverted(ContractRevert revert) implements Outcome {
    }

    private Outcome call(String what, String data, List<TypeReference<?>> outputs) {
        EthCall r = rpc.send("eth_call " + what, rpc.web3j.ethCall(
                Transaction.createEthCallTransaction(null, address, data), DefaultBlockParameterName.LATEST));
        if (r.hasError() || r.isReverted()) {
            return new Reverted(LightClientCalldata.decodeRevert(revertData(r)));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<TypeReference<Type>> out = (List) outputs;
        List<Type> values = FunctionReturnDecoder.decode(r.getValue(), out);
        if (values.size() != outputs.size()) {
            throw new L1Exception(what + " at " + address + " returned " + r.getValue()
                    + ": is a LightClient deployed there?", null);
        }
        return new Returned(values);
    }

    private List<Type> expect(String what, String data, List<TypeReference<?>> outputs) {
        return switch (call(what, data, outputs)) {
            case Returned r -> r.values();
            case Reverted r -> throw new LightClientRevertException(what, r.revert(), null);
        };
    }

    private static long u(Type t) {
        return ((BigInteger) t.getValue()).longValueExact();
    }

    private static Bytes32 b(Type t) {
        return Bytes32.of((byte[]) t.getValue());
    }

    @Override
    public CommitmentLookup getHotShotCommitment(long height) {
        if (height < 0) throw new IllegalArgumentException("height must be >= 0, got " + height);
        String data = contract.getHotShotCommitment(BigInteger.valueOf(height)).encodeFunctionCall();
        return switch (call("getHotShotCommitment(" + height + ")", data, List.of(
                new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}, new TypeReference<Uint64>() {}))) {
            case Returned r -> new CommitmentLookup.Covered(height, u(r.values().get(1)), b(r.values().get(0)));
            case Reverted r when r.revert().name().equals("LightClient__HeightNotCertified") ->
                    new CommitmentLookup.NotCertified(height, Long.parseLong(r.revert().arguments().get(1).value()));
            case Reverted r -> throw new LightClientRevertException("getHotShotCommitment(" + height + ")", r.revert(), null);
        };
    }

    @Override
    public EscapeHatchLag lagOverEscapeHatchThreshold(long l1Block, long thresholdBlocks) {
        if (l1Block < 0 || thresholdBlocks < 0) {
            throw new IllegalArgumentException("l1Block and thresholdBlocks must be >= 0, got " + l1Block + ", "
                    + thresholdBlocks);
        }
        String what = "lagOverEscapeHatchThreshold(" + l1Block + ", " + thresholdBlocks + ")";
        String data = contract.lagOverEscapeHatchThreshold(BigInteger.valueOf(l1Block), BigInteger.valueOf(thresholdBlocks))
                .encodeFunctionCall();
        return switch (call(what, data, List.of(new TypeReference<Bool>() {}))) {
            case Returned r -> new EscapeHatchLag.Answered(l1Block, thresholdBlocks, (Boolean) r.values().get(0).getValue());
            case Reverted r when r.revert().name().equals("LightClient__FutureL1Block")
                    || r.revert().name().equals("LightClient__InsufficientHistory") ->
                    new EscapeHatchLag.Unanswerable(l1Block, r.revert());
            case Reverted r -> throw new LightClientRevertException(what, r.revert(), null);
        };
    }

    @Override
    public FinalizedState finalizedState() {
        List<Type> v = expect("finalizedState()", contract.finalizedState().encodeFunctionCall(), List.of(
                new TypeReference<Uint64>() {}, new TypeReference<Uint64>() {},
                new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}));
        return new FinalizedState(u(v.get(0)), u(v.get(1)), b(v.get(2)));
    }

    @Override
    public Bytes32 stakeTableCommitment() {
        return b(expect("stakeTableCommitment()", contract.stakeTableCommitment().encodeFunctionCall(),
                List.of(new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {})).get(0));
    }

    @Override
    public long hotShotChainId() {
        return u(expect("hotShotChainId()", contract.hotShotChainId().encodeFunctionCall(),
                List.of(new TypeReference<Uint256>() {})).get(0));
    }

    @Override
    public void close() {
        // Shares the poster's connection.
    }

    /** The revert bytes of a failed call: the error's data, or (some nodes) the call's value. */
    static String revertData(EthCall call) {
        if (call.hasError()) {
            String data = call.getError().getData();
            return data == null ? "0x" : data;
        }
        return call.getValue() == null ? "0x" : call.getValue();
    }
}
