package dev.cortado.settlement.lightclient;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.lightclient.LightClientVerificationException;
import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Hex;
import dev.cortado.settlement.l1.ContractErrors;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The arguments of {@code LightClient.newFinalizedState}, built from a verified certificate, plus the
 * decoding of LightClient.sol's revert data. An answer from a node is checked here before it can
 * become calldata: a bad answer is a {@link LightClientVerificationException}, never a transaction.
 *
 * @param state the signed state
 * @param table the committed table's aggregate key, leaf root, size and total stake
 * @param signature the aggregate signature, 128-byte EIP-2537 G1
 * @param absent the absent members packed with one multiproof ({@link AbsentMembers}; empty when all signed)
 */
public record LightClientCalldata(LightClient.LightClientState state, LightClient.StakeTableSummary table,
        byte[] signature, byte[] absent) {

    public LightClientCalldata {
        signature = signature.clone();
        absent = absent.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public byte[] absent() {
        return absent.clone();
    }

    public long height() {
        return state.height.longValueExact();
    }

    public long view() {
        return state.viewNumber.longValueExact();
    }

    /**
     * The argument of {@code StakeTable.withdraw}: the light client's current table as key hashes, stakes,
     * DA flags and the aggregate key's hash; {@code witnessIndex} is an entry registered after the
     * withdrawer (the contract checks both against the light client's commitment and its own records).
     */
    public static dev.cortado.contracts.generated.StakeTable.CurrentTable exitEscrowTable(
            dev.cortado.protocol.stake.StakeTable table, int witnessIndex) {
        List<byte[]> keyHashes = new ArrayList<>(table.size());
        List<BigInteger> stakes = new ArrayList<>(table.size());
        List<Boolean> isDa = new ArrayList<>(table.size());
        for (var e : table.entries()) {
            keyHashes.add(dev.cortado.protocol.codec.Keccak.hash(e.key().toEip2537()).bytes());
            stakes.add(BigInteger.valueOf(e.stakeGwei()));
            isDa.add(e.daMember());
        }
        return new dev.cortado.contracts.generated.StakeTable.CurrentTable(keyHashes, stakes, isDa,
                dev.cortado.protocol.codec.Keccak.hash(table.aggregateKey().toEip2537()).bytes(),
                BigInteger.valueOf(witnessIndex));
    }

    /** Converts without checking; callers verify first (see {@link #fromAnswer}). */
    public static LightClientCalldata of(LightClientCertificate lc, NonSignerData data) {
        return new LightClientCalldata(state(lc.state()), table(data), lc.cert().signature().toEip2537(), absent(data));
    }

    /** The contract's form of a light-client state. */
    public static LightClient.LightClientState state(LightClientState s) {
        return new LightClient.LightClientState(BigInteger.valueOf(s.view().value()),
                BigInteger.valueOf(s.height().value()), s.blockCommRoot().bytes(), s.stakeTableComm().bytes());
    }

    /** The contract's form of the stake-table summary (the commitment's preimage). */
    public static LightClient.StakeTableSummary table(NonSignerData data) {
        return new LightClient.StakeTableSummary(data.aggKeyEip2537(), data.root().bytes(),
                BigInteger.valueOf(data.count()), BigInteger.valueOf(data.totalStakeGwei()));
    }

    /** The contract's form of the non-signers: packed, with one multiproof ({@link AbsentMembers#encode}). */
    public static byte[] absent(NonSignerData data) {
        return AbsentMembers.encode(data);
    }

    /**
     * Verifies a node's answer and converts it.
     *
     * @param hotShotChainId the chain id the contract binds into every digest
     * @param trust the table the caller trusts
     * @param contractTable the commitment LightClient.sol currently stores
     */
    public static LightClientCalldata fromAnswer(LightClientAnswer answer, long hotShotChainId, StakeTableTrust trust,
            Bytes32 contractTable) {
        if (answer == null) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "empty light-client answer");
        }
        LightClientCertificate lc;
        NonSignerData data;
        try {
            lc = answer.toCertificate(hotShotChainId);
            data = answer.nonSignerData() == null ? null : answer.nonSignerData().toData();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER,
                    "light-client answer is malformed: " + e.getMessage(), e);
        }
        if (data == null) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "light-client answer has no nonSignerData");
        }
        switch (trust) {
            case StakeTableTrust.Known known -> {
                if (!known.table().commitment().equals(contractTable)) {
                    throw new LightClientVerificationException(Reason.WRONG_STAKE_TABLE, "the poster's stake table "
                            + known.table().commitment() + " is not the one LightClient commits to, " + contractTable);
                }
                new LightClientVerifier(hotShotChainId, known.table()).verifyLightClient(answer);
            }
            case StakeTableTrust.OnL1 onL1 -> CommittedTableVerifier.verify(lc, data, hotShotChainId, contractTable);
        }
        LightClientCalldata calldata = of(lc, data);
        // The packed form passes the contract's own rules (its Java twin) before it can be sent.
        try {
            AbsentMembers.verify(calldata.absent, data.root(), data.count());
        } catch (IllegalArgumentException e) {
            throw new LightClientVerificationException(Reason.INVALID_NON_SIGNER_DATA,
                    "the packed non-signers would be refused by LightClient: " + e.getMessage(), e);
        }
        return calldata;
    }

    // ---- revert decoding -------------------------------------------------------------------------

    /** Parameter names as declared in the Solidity sources; the wrapper's ABI keeps only the types. */
    private static final Map<String, List<String>> PARAMETER_NAMES = Map.ofEntries(
            Map.entry("LightClient__ProverNotPermissioned", List.of("caller")),
            Map.entry("LightClient__RenounceDisabled", List.of()),
            Map.entry("LightClient__StaleState", List.of("latestView", "latestHeight", "viewNumber", "height")),
            Map.entry("LightClient__WrongStakeTable", List.of("expected", "got")),
            Map.entry("LightClient__AbsentCount", List.of("absentCount", "tableCount")),
            Map.entry("LightClient__AbsentLength", List.of("absentCount", "length")),
            Map.entry("LightClient__NonSignerOrder", List.of("previousIndex", "index")),
            Map.entry("LightClient__NonSignerOutOfRange", List.of("index", "count")),
            Map.entry("LightClient__NonSignerFlag", List.of("index", "flag")),
            Map.entry("LightClient__MultiproofSiblings", List.of("needed", "given")),
            Map.entry("LightClient__NonSignersNotInTable", List.of("root", "computed")),
            Map.entry("LightClient__InsufficientStake", List.of("signedStakeGwei", "totalStakeGwei")),
            Map.entry("LightClient__InvalidSignature", List.of("digest")),
            Map.entry("LightClient__BadKeyLength", List.of("length")),
            Map.entry("LightClient__HeightNotCertified", List.of("height", "latestHeight")),
            Map.entry("LightClient__InsufficientHistory", List.of("l1Block", "oldestRetainedL1Block")),
            Map.entry("LightClient__FutureL1Block", List.of("l1Block", "currentL1Block")),
            Map.entry("LightClient__ZeroAddress", List.of()),
            Map.entry("LightClient__BadCapacity", List.of("capacity")),
            Map.entry("BLS12381__PrecompileFailed", List.of("precompile")),
            Map.entry("BLS12381__BadPointLength", List.of("expected", "got")),
            Map.entry("BLS12381__DstTooLong", List.of("length")),
            Map.entry("OwnableUnauthorizedAccount", List.of("account")),
            Map.entry("OwnableInvalidOwner", List.of("owner")),
            Map.entry("SafeCastOverflowedUintDowncast", List.of("bits", "value")),
            Map.entry("Error", List.of("message")),
            Map.entry("Panic", List.of("code")));

    private static final CustomError SOLIDITY_ERROR = new CustomError("Error",
            List.of(new TypeReference<org.web3j.abi.datatypes.Utf8String>() {}));
    private static final CustomError SOLIDITY_PANIC = new CustomError("Panic", List.of(new TypeReference<Uint256>() {}));

    /** Every custom error of LightClient.sol, by 4-byte selector, read from the generated wrapper. */
    private static final Map<String, CustomError> ERRORS_BY_SELECTOR = errorsBySelector();

    private static Map<String, CustomError> errorsBySelector() {
        Map<String, CustomError> out = new HashMap<>(ContractErrors.bySelector(LightClient.class));
        out.put(selector(SOLIDITY_ERROR), SOLIDITY_ERROR);
        out.put(selector(SOLIDITY_PANIC), SOLIDITY_PANIC);
        return Map.copyOf(out);
    }

    private static String selector(CustomError e) {
        return ContractErrors.selector(e);
    }

    /** The declared parameter names of every LightClient.sol error the wrapper knows, by error name. */
    static Map<String, Integer> knownErrorArities() {
        Map<String, Integer> out = new HashMap<>();
        ERRORS_BY_SELECTOR.values().forEach(e -> out.put(e.getName(), e.getParameters().size()));
        return out;
    }

    static Map<String, List<String>> parameterNames() {
        return PARAMETER_NAMES;
    }

    /** Decodes revert data ({@code 0x} hex) against LightClient.sol's error selectors. */
    public static ContractRevert decodeRevert(String revertDataHex) {
        String data = revertDataHex == null ? "0x" : revertDataHex.trim().replace("\"", "").toLowerCase(java.util.Locale.ROOT);
        if (!data.startsWith("0x")) {
            data = "0x" + data;
        }
        if (data.length() < 10) {
            return new ContractRevert("unknown", List.of(), data);
        }
        CustomError error = ERRORS_BY_SELECTOR.get(data.substring(0, 10));
        if (error == null) {
            return new ContractRevert("unknown", List.of(), data);
        }
        List<Type> values;
        try {
            values = FunctionReturnDecoder.decode("0x" + data.substring(10), error.getParameters());
        } catch (RuntimeException e) {
            return new ContractRevert("unknown", List.of(), data);
        }
        if (values.size() != error.getParameters().size()) {
            return new ContractRevert("unknown", List.of(), data);
        }
        List<String> names = PARAMETER_NAMES.getOrDefault(error.getName(), List.of());
        List<ContractRevert.Argument> args = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String name = i < names.size() ? names.get(i) : "arg" + i;
            args.add(new ContractRevert.Argument(name, render(values.get(i))));
        }
        return new ContractRevert(error.getName(), args, data);
    }

    private static String render(Type value) {
        Object v = value.getValue();
        if (v instanceof byte[] bytes) {
            return Hex.encode(bytes);
        }
        return String.valueOf(v);
    }
}
