package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertDeployReverts;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.contracts.support.TestStakeTable;
import dev.cortado.devnet.contracts.support.TestStakeTable.Certificate;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The review's light-client findings on Anvil: the history flush, single-step ownership, the gas an
 * off-curve signature burns, the stake-table commitment in StateFinalized, the constructor check.
 */
class LightClientHardeningTest {
    private static final long CHAIN = 4242;
    private static final String ZERO = "0x0000000000000000000000000000000000000000";
    private static L1Devnet l1;
    private static Credentials owner;
    private static Credentials stranger;
    private static TestStakeTable table;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        owner = l1.accounts().get(0);
        stranger = l1.accounts().get(2);
        table = TestStakeTable.random(10, 7);
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private static Bytes32 root(String label) {
        return Keccak.hash(label.getBytes(StandardCharsets.UTF_8));
    }

    private static LightClient deploy(long capacity) throws Exception {
        return LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.valueOf(CHAIN),
                TestStakeTable.state(0, 0, root("genesis"), table.commitment()), BigInteger.valueOf(capacity), ZERO)
                .send();
    }

    private static Certificate cert(long view, long height) {
        return table.certify(CHAIN, TestStakeTable.state(view, height, root("h" + height), table.commitment()), Set.of());
    }

    private static String data(Certificate c) {
        return FunctionEncoder.encode(new Function("newFinalizedState",
                List.of(c.state(), c.table(), new org.web3j.abi.datatypes.DynamicBytes(c.signature()),
                        new org.web3j.abi.datatypes.DynamicBytes(c.absent())),
                List.of()));
    }

    private static void automine(boolean on) throws Exception {
        VoidResponse r = new Request<>("evm_setAutomine", List.of(on), new HttpService(l1.rpcUrl()),
                VoidResponse.class).send();
        assertFalse(r.hasError(), () -> "evm_setAutomine: " + r.getError().getMessage());
    }

    private static TransactionReceipt receipt(String txHash) throws Exception {
        return new org.web3j.tx.response.PollingTransactionReceiptProcessor(l1.web3j(), 20, 500)
                .waitForTransactionReceipt(txHash);
    }

    @Test
    void aFloodOfUpdatesInOneBlockTakesOneHistoryEntry() throws Exception {
        LightClient lc = deploy(4);
        l1.mine();
        ok(lc.newFinalizedState(cert(1, 10).state(), cert(1, 10).table(), cert(1, 10).signature(), new byte[0]));
        long firstBlock = l1.blockNumber();
        l1.mine();
        l1.mine();
        // Six certified updates land in one block: the ring (capacity 4) must not be flushed by them.
        automine(false);
        var sender = tm(l1, owner);
        String[] hashes = new String[6];
        try {
            for (int i = 0; i < 6; i++) {
                hashes[i] = sender.sendTransaction(GAS.getGasPrice(), BigInteger.valueOf(1_000_000),
                        lc.getContractAddress(), data(cert(2 + i, 20 + i)), BigInteger.ZERO).getTransactionHash();
            }
            l1.mine();
        } finally {
            automine(true);
        }
        long floodBlock = l1.blockNumber();
        for (String h : hashes) {
            TransactionReceipt r = receipt(h);
            assertTrue(r.isStatusOK(), () -> "update failed: " + r);
            assertEquals(BigInteger.valueOf(floodBlock), r.getBlockNumber());
        }
        // genesis, height 10, and one entry for the flood block holding its last state (height 25).
        assertEquals(BigInteger.valueOf(3), lc.historySize().send());
        var newest = lc.historyAt(BigInteger.TWO).send();
        assertEquals(BigInteger.valueOf(25), newest.component2());
        assertEquals(BigInteger.valueOf(floodBlock), newest.component4());
        assertEquals(BigInteger.valueOf(10), lc.historyAt(BigInteger.ONE).send().component2());
        // The lag before the flood is still answerable, and the root for height 10 is still there.
        assertTrue(lc.lagOverEscapeHatchThreshold(BigInteger.valueOf(floodBlock - 1), BigInteger.ONE).send());
        assertFalse(lc.lagOverEscapeHatchThreshold(BigInteger.valueOf(floodBlock - 1), BigInteger.TWO).send());
        assertEquals(BigInteger.valueOf(firstBlock), lc.historyAt(BigInteger.ONE).send().component4());
        assertArrayEquals(root("h10").bytes(), lc.getHotShotCommitment(BigInteger.valueOf(10)).send().component1());
        assertArrayEquals(root("h25").bytes(), lc.getHotShotCommitment(BigInteger.valueOf(21)).send().component1());
    }

    @Test
    void stateFinalizedCarriesTheStakeTableCommitment() throws Exception {
        LightClient lc = deploy(4);
        var events = LightClient.getStateFinalizedEvents(ok(lc.newFinalizedState(cert(1, 1).state(),
                cert(1, 1).table(), cert(1, 1).signature(), new byte[0])));
        assertEquals(1, events.size());
        assertArrayEquals(table.commitment().bytes(), events.getFirst().stakeTableComm);
        assertArrayEquals(root("h1").bytes(), events.getFirst().blockCommRoot);
    }

    @Test
    void ownershipMovesInTwoStepsAndCannotBeRenounced() throws Exception {
        LightClient lc = deploy(4);
        // renounceOwnership is a view that always reverts, so web3j generates no method for it.
        var renounce = new RemoteFunctionCall<Void>(new Function("renounceOwnership", List.of(), List.of()), () -> null);
        assertReverts(l1, owner, lc, renounce, error("LightClient__RenounceDisabled()"));
        assertReverts(l1, stranger, lc, renounce, error("OwnableUnauthorizedAccount(address)",
                addr(stranger.getAddress())));
        ok(lc.transferOwnership(stranger.getAddress()));
        assertEquals(owner.getAddress(), lc.owner().send());
        LightClient byStranger = LightClient.load(lc.getContractAddress(), l1.web3j(), tm(l1, stranger), GAS);
        assertReverts(l1, stranger, lc, byStranger.disablePermissionedProverMode(),
                error("OwnableUnauthorizedAccount(address)", addr(stranger.getAddress())));
        assertReverts(l1, owner, lc, lc.acceptOwnership(), error("OwnableUnauthorizedAccount(address)",
                addr(owner.getAddress())));
        ok(byStranger.acceptOwnership());
        assertEquals(stranger.getAddress(), lc.owner().send());
        ok(byStranger.disablePermissionedProverMode());
    }

    @Test
    void anOffCurveSignatureCostsOnlyWhatThePairingIsForwarded() throws Exception {
        LightClient lc = deploy(4);
        Certificate good = cert(1, 1);
        // (1, 1) is not on y^2 = x^3 + 4; the pairing precompile fails on it.
        byte[] offCurve = new byte[128];
        offCurve[63] = 1;
        offCurve[127] = 1;
        Certificate bad = new Certificate(good.state(), good.table(), offCurve, good.absent());
        Bytes32 digest = Digests.lcState(CHAIN, View.of(1), Height.of(1), root("h1"), table.commitment());
        assertReverts(l1, owner, lc, lc.newFinalizedState(bad.state(), bad.table(), bad.signature(), new byte[0]),
                error("LightClient__InvalidSignature(bytes32)", b32(digest.bytes())));
        String hash = tm(l1, owner).sendTransaction(GAS.getGasPrice(), BigInteger.valueOf(1_000_000),
                lc.getContractAddress(), data(bad), BigInteger.ZERO).getTransactionHash();
        TransactionReceipt r = receipt(hash);
        assertFalse(r.isStatusOK());
        long used = r.getGasUsed().longValueExact();
        // Before the fix the failing pairing call swallowed ~985k of the 1M limit; now it is bounded
        // by the pairing's own price (102,900) plus the rest of an update.
        assertTrue(used < 250_000, "an off-curve signature used " + used + " gas");
    }

    @Test
    void theConstructorRefusesAHistoryTooSmallToAnswer() {
        for (long capacity : new long[] {0, 1, 1L << 32}) {
            assertDeployReverts(l1, owner, LightClient.BINARY, List.of(new Address(owner.getAddress()),
                    new Uint256(CHAIN), TestStakeTable.state(0, 0, root("genesis"), table.commitment()),
                    new Uint256(capacity), new Address(ZERO)),
                    error("LightClient__BadCapacity(uint256)", u(capacity)));
        }
    }
}
