package dev.cortado.devnet.contracts.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.devnet.l1.L1Devnet;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * Test helpers for contract calls on a live Anvil: a fixed gas provider, sending with a status
 * check, and asserting that a call reverts with one exact custom error (selector and arguments).
 */
public final class Chain {
    /** Legacy gas price above Anvil's base fee; the limit fits the largest light-client update. */
    public static final ContractGasProvider GAS =
            new StaticGasProvider(BigInteger.valueOf(3_000_000_000L), BigInteger.valueOf(20_000_000L));

    private Chain() {
    }

    /**
     * A transaction manager that polls for receipts every 20 ms: Anvil mines at once, and web3j's
     * default 15 s polling interval would dominate every test.
     */
    public static TransactionManager tm(L1Devnet l1, Credentials credentials) {
        return new RawTransactionManager(l1.web3j(), credentials, l1.chainId(),
                new PollingTransactionReceiptProcessor(l1.web3j(), 20, 1_500));
    }

    /** Sends the transaction and fails the test unless it succeeded. */
    public static TransactionReceipt ok(RemoteFunctionCall<TransactionReceipt> call) {
        try {
            TransactionReceipt receipt = call.send();
            assertTrue(receipt.isStatusOK(), () -> "transaction failed: " + receipt);
            return receipt;
        } catch (Exception e) {
            throw new AssertionError("transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the call as {@code from} (with {@code valueWei} attached) against the latest block and
     * returns the revert data; fails when the call does not revert.
     */
    public static String revertData(L1Devnet l1, Credentials from, Contract target, RemoteFunctionCall<?> call,
            BigInteger valueWei) {
        try {
            EthCall result = l1.web3j().ethCall(
                    Transaction.createFunctionCallTransaction(from.getAddress(), null, null, null,
                            target.getContractAddress(), valueWei, call.encodeFunctionCall()),
                    DefaultBlockParameterName.LATEST).send();
            if (!result.hasError()) {
                fail("expected a revert, but the call returned " + result.getValue());
            }
            Object data = result.getError().getData();
            assertNotNull(data, () -> "revert without data: " + result.getError().getMessage());
            return data.toString().replace("\"", "");
        } catch (IOException e) {
            throw new AssertionError("eth_call failed: " + e.getMessage(), e);
        }
    }

    /**
     * Asserts that deploying {@code binary} with the constructor arguments {@code args} reverts
     * with exactly {@code expectedError} (an eth_call creating the contract, so nothing is mined).
     */
    @SuppressWarnings("rawtypes")
    public static void assertDeployReverts(L1Devnet l1, Credentials from, String binary, List<Type> args,
            String expectedError) {
        try {
            String data = binary + FunctionEncoder.encodeConstructor(args);
            EthCall result = l1.web3j().ethCall(Transaction.createEthCallTransaction(from.getAddress(), null, data),
                    DefaultBlockParameterName.LATEST).send();
            if (!result.hasError()) {
                fail("expected the deployment to revert, but it returned code");
            }
            Object revert = result.getError().getData();
            assertNotNull(revert, () -> "revert without data: " + result.getError().getMessage());
            assertEquals(expectedError, revert.toString().replace("\"", ""), "custom error and its arguments");
        } catch (IOException e) {
            throw new AssertionError("eth_call failed: " + e.getMessage(), e);
        }
    }

    /** Asserts that the call reverts with exactly {@code expectedError} (see {@link #error}). */
    public static void assertReverts(L1Devnet l1, Credentials from, Contract target, RemoteFunctionCall<?> call,
            String expectedError) {
        assertReverts(l1, from, target, call, BigInteger.ZERO, expectedError);
    }

    /** As {@link #assertReverts(L1Devnet, Credentials, Contract, RemoteFunctionCall, String)} with ETH attached. */
    public static void assertReverts(L1Devnet l1, Credentials from, Contract target, RemoteFunctionCall<?> call,
            BigInteger valueWei, String expectedError) {
        String data = revertData(l1, from, target, call, valueWei);
        if (expectedError.length() == 10) {
            assertEquals(expectedError, data.substring(0, Math.min(10, data.length())), "custom error selector");
        } else {
            assertEquals(expectedError, data, "custom error and its arguments");
        }
    }

    /** The revert data of a custom error: its 4-byte selector followed by its ABI-encoded arguments. */
    @SafeVarargs
    public static String error(String signature, Type<?>... args) {
        String selector = Numeric.toHexString(Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .substring(0, 10);
        if (args.length == 0) {
            return selector;
        }
        @SuppressWarnings("rawtypes")
        List<Type> params = Arrays.asList(args);
        return selector + FunctionEncoder.encodeConstructor(params);
    }

    /** Only the 4-byte selector of a custom error, for errors whose arguments the test cannot know. */
    public static String selector(String signature) {
        return error(signature);
    }

    public static Uint256 u(long v) {
        return new Uint256(v);
    }

    public static Uint256 u(BigInteger v) {
        return new Uint256(v);
    }

    public static org.web3j.abi.datatypes.generated.Uint64 u64(long v) {
        return new org.web3j.abi.datatypes.generated.Uint64(v);
    }

    public static org.web3j.abi.datatypes.generated.Uint32 u32(long v) {
        return new org.web3j.abi.datatypes.generated.Uint32(v);
    }

    public static org.web3j.abi.datatypes.generated.Uint8 u8(long v) {
        return new org.web3j.abi.datatypes.generated.Uint8(v);
    }

    public static org.web3j.abi.datatypes.generated.Uint96 u96(BigInteger v) {
        return new org.web3j.abi.datatypes.generated.Uint96(v);
    }

    public static Address addr(String hex) {
        return new Address(hex);
    }

    public static Bytes32 b32(byte[] v) {
        return new Bytes32(v);
    }

    public static Bool bool(boolean v) {
        return new Bool(v);
    }

    public static BigInteger eth(long ether) {
        return BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(ether));
    }

    public static BigInteger gwei(long gwei) {
        return BigInteger.TEN.pow(9).multiply(BigInteger.valueOf(gwei));
    }

    /** Balance of {@code address} at the latest block, in wei. */
    public static BigInteger balance(L1Devnet l1, String address) {
        try {
            return l1.web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
