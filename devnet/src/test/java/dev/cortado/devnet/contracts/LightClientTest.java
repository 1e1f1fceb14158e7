package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.selector;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.contracts.support.TestStakeTable;
import dev.cortado.devnet.contracts.support.TestStakeTable.Certificate;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.lightclient.LightClientCalldata;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.cert.SignatureAccumulator;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** LightClient.sol on a live Anvil: certificates built in Java, checked on chain through EIP-2537. */
class LightClientTest {
    private static final long CHAIN = 4242;
    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    private static L1Devnet l1;
    private static Credentials owner;
    private static Credentials prover;
    private static Credentials stranger;
    private static TestStakeTable table;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        owner = l1.accounts().get(0);
        prover = l1.accounts().get(1);
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

    private static LightClient deploy(TestStakeTable t, long capacity, String proverAddress) throws Exception {
        return LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.valueOf(CHAIN),
                TestStakeTable.state(0, 0, root("genesis"), t.commitment()), BigInteger.valueOf(capacity),
                proverAddress).send();
    }

    private static LightClient as(LightClient lc, Credentials who) {
        return LightClient.load(lc.getContractAddress(), l1.web3j(), tm(l1, who), GAS);
    }

    private static org.web3j.protocol.core.RemoteFunctionCall<TransactionReceipt> submit(LightClient lc, Certificate c) {
        return lc.newFinalizedState(c.state(), c.table(), c.signature(), c.absent());
    }

    private static Certificate cert(TestStakeTable t, long view, long height, Set<Integer> nonSigners) {
        return t.certify(CHAIN, TestStakeTable.state(view, height, root("h" + height), t.commitment()), nonSigners);
    }

    @Test
    void acceptsStatesSignedByEveryoneAndWithProvenNonSigners() throws Exception {
        LightClient lc = deploy(table, 16, ZERO);
        assertEquals(BigInteger.valueOf(CHAIN), lc.hotShotChainId().send());
        assertArrayEquals(table.commitment().bytes(), lc.stakeTableCommitment().send());

        TransactionReceipt r = ok(submit(lc, cert(table, 3, 5, Set.of())));
        var events = LightClient.getStateFinalizedEvents(r);
        assertEquals(1, events.size());
        assertEquals(BigInteger.valueOf(5), events.getFirst().height);
        var state = lc.finalizedState().send();
        assertEquals(BigInteger.valueOf(3), state.component1());
        assertEquals(BigInteger.valueOf(5), state.component2());
        assertArrayEquals(root("h5").bytes(), state.component3());

        // Two of ten members stay silent: well above 2/3 of the random stakes only if they are small,
        // so pick the two smallest stakes.
        List<Integer> byStake = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        byStake.sort((a, b) -> Long.compare(table.members().get(a).stakeGwei(), table.members().get(b).stakeGwei()));
        ok(submit(lc, cert(table, 4, 9, Set.of(byStake.get(0), byStake.get(1)))));
        assertEquals(BigInteger.valueOf(9), lc.finalizedState().send().component2());
        assertEquals(BigInteger.valueOf(3), lc.historySize().send());
    }

    @Test
    void refusesReplayedAndStaleStates() throws Exception {
        LightClient lc = deploy(table, 16, ZERO);
        Certificate c = cert(table, 3, 5, Set.of());
        ok(submit(lc, c));
        assertReverts(l1, owner, lc, submit(lc, c),
                error("LightClient__StaleState(uint64,uint64,uint64,uint64)", u64(3), u64(5), u64(3), u64(5)));
        // A higher view alone is not enough: the height must increase too.
        assertReverts(l1, owner, lc, submit(lc, cert(table, 4, 5, Set.of())),
                error("LightClient__StaleState(uint64,uint64,uint64,uint64)", u64(3), u64(5), u64(4), u64(5)));
    }

    @Test
    void refusesForgedAndBitFlippedSignatures() throws Exception {
        LightClient lc = deploy(table, 16, ZERO);
        Certificate good = cert(table, 1, 1, Set.of());
        TestStakeTable outsiders = TestStakeTable.random(10, 99);
        byte[] forged = outsiders.signatureBy(CHAIN, good.state(), Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        Bytes32 digest = TestStakeTable.digest(CHAIN, good.state());
        String invalid = error("LightClient__InvalidSignature(bytes32)", b32(digest.bytes()));
        assertReverts(l1, owner, lc, lc.newFinalizedState(good.state(), good.table(), forged, good.absent()), invalid);

        byte[] flipped = good.signature().clone();
        flipped[127] ^= 1;
        assertReverts(l1, owner, lc, lc.newFinalizedState(good.state(), good.table(), flipped, good.absent()), invalid);

        // The signature is over another state than the one submitted.
        Certificate other = cert(table, 1, 2, Set.of());
        assertReverts(l1, owner, lc, lc.newFinalizedState(good.state(), good.table(), other.signature(), new byte[0]),
                invalid);
        ok(submit(lc, good));
    }

    @Test
    void refusesANonSignerClaimedAsSigner() throws Exception {
        LightClient lc = deploy(table, 16, ZERO);
        var state = TestStakeTable.state(1, 1, root("x"), table.commitment());
        // Member 4 did not sign, but the certificate lists no non-signer.
        byte[] sig = table.signatureBy(CHAIN, state, Set.of(0, 1, 2, 3, 5, 6, 7, 8, 9));
        assertReverts(l1, owner, lc, lc.newFinalizedState(state, table.summary(), sig, new byte[0]),
                error("LightClient__InvalidSignature(bytes32)", b32(TestStakeTable.digest(CHAIN, state).bytes())));
        ok(lc.newFinalizedState(state, table.summary(), sig, table.absent(Set.of(4))));
    }

    @Test
    void needsStrictlyMoreThanTwoThirdsOfTheStake() throws Exception {
        TestStakeTable t = TestStakeTable.withStakes(5, 100, 99, 1, 100);
        LightClient lc = deploy(t, 16, ZERO);
        // Without member 0, 200 of 300 gwei signed: exactly 2/3, one unit short.
        assertReverts(l1, owner, lc, submit(lc, cert(t, 1, 1, Set.of(0))),
                error("LightClient__InsufficientStake(uint256,uint256)", u(200), u(300)));
        // Without member 1, 201 of 300 signed.
        ok(submit(lc, cert(t, 1, 1, Set.of(1))));
    }

    @Test
    void refusesATableThatIsNotTheCommittedOne() throws Exception {
        LightClient lc = deploy(table, 16, ZERO);
        TestStakeTable other = TestStakeTable.random(10, 8);
        Certificate c = other.certify(CHAIN, TestStakeTable.state(1, 1, root("x"), table.commitment()), Set.of());
        assertReverts(l1, owner, lc, submit(lc, c), error("LightClient__WrongStakeTable(bytes32,bytes32)",
                b32(table.commitment().bytes()), b32(other.commitment().bytes())));
        var shortKey = new LightClient.StakeTableSummary(new byte[128], table.root().bytes(),
                BigInteger.TEN, BigInteger.valueOf(table.totalStakeGwei()));
        assertReverts(l1, owner, lc, lc.newFinalizedState(c.state(), shortKey, c.signature(), new byte[0]),
                error("LightClient__BadKeyLength(uint256)", u(128)));
    }

    @Test
    void rotatesToTheNextTableOnlyWhenTheCurrentOneCertifiesIt() throws Exception {
        LightClient lc = deploy(table, 16, ZERO);
        TestStakeTable next = TestStakeTable.random(7, 11);
        var rotate = TestStakeTable.state(2, 2, root("r"), next.commitment());
        // The next table cannot certify its own installation.
        Certificate bySelf = next.certify(CHAIN, rotate, Set.of());
        assertReverts(l1, owner, lc, submit(lc, bySelf), selector("LightClient__WrongStakeTable(bytes32,bytes32)"));

        TransactionReceipt r = ok(submit(lc, table.certify(CHAIN, rotate, Set.of())));
        var rotated = LightClient.getStakeTableRotatedEvents(r);
        assertEquals(1, rotated.size());
        assertArrayEquals(next.commitment().bytes(), rotated.getFirst().newComm);
        assertArrayEquals(next.commitment().bytes(), lc.stakeTableCommitment().send());

        // From now on the old table is refused and the new one signs.
        assertReverts(l1, owner, lc, submit(lc, cert(table, 3, 3, Set.of())),
                selector("LightClient__WrongStakeTable(bytes32,bytes32)"));
        ok(submit(lc, next.certify(CHAIN, TestStakeTable.state(3, 3, root("n"), next.commitment()), Set.of())));
    }

    @Test
    void permissionedProverModeCanBeSwitchedOff() throws Exception {
        LightClient lc = deploy(table, 16, prover.getAddress());
        assertEquals(prover.getAddress(), lc.permissionedProver().send());
        Certificate c = cert(table, 1, 1, Set.of());
        LightClient byStranger = as(lc, stranger);
        assertReverts(l1, stranger, lc, submit(byStranger, c),
                error("LightClient__ProverNotPermissioned(address)", addr(stranger.getAddress())));
        ok(submit(as(lc, prover), c));
        // The mode lives in the head word every accepted update rewrites: it must survive the update.
        assertReverts(l1, stranger, lc, submit(byStranger, cert(table, 2, 2, Set.of())),
                error("LightClient__ProverNotPermissioned(address)", addr(stranger.getAddress())));

        assertReverts(l1, stranger, lc, byStranger.disablePermissionedProverMode(),
                error("OwnableUnauthorizedAccount(address)", addr(stranger.getAddress())));
        assertReverts(l1, stranger, lc, byStranger.setPermissionedProver(stranger.getAddress()),
                error("OwnableUnauthorizedAccount(address)", addr(stranger.getAddress())));
        assertReverts(l1, owner, lc, lc.setPermissionedProver(ZERO), error("LightClient__ZeroAddress()"));
        ok(lc.setPermissionedProver(stranger.getAddress()));
        assertEquals(stranger.getAddress(), lc.permissionedProver().send());
        ok(lc.disablePermissionedProverMode());
        assertEquals(ZERO, lc.permissionedProver().send());
        ok(submit(as(lc, prover), cert(table, 2, 2, Set.of())));
    }

    @Test
    void keepsABoundedHistoryForCommitmentAndLagQueries() throws Exception {
        LightClient lc = deploy(table, 4, ZERO);
        long genesisBlock = l1.blockNumber();
        assertEquals(BigInteger.valueOf(4), lc.historyCapacity().send());
        List<Long> updateBlocks = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            l1.mine();
            l1.mine();
            ok(submit(lc, cert(table, i, 10L * i, Set.of())));
            updateBlocks.add(l1.blockNumber());
        }
        // Retained: heights 20, 30, 40, 50 (genesis and 10 were evicted).
        assertEquals(BigInteger.valueOf(4), lc.historySize().send());
        var first = lc.getHotShotCommitment(BigInteger.valueOf(15)).send();
        assertArrayEquals(root("h20").bytes(), first.component1());
        assertEquals(BigInteger.valueOf(20), first.component2());
        assertEquals(BigInteger.valueOf(30), lc.getHotShotCommitment(BigInteger.valueOf(21)).send().component2());
        assertEquals(BigInteger.valueOf(50), lc.getHotShotCommitment(BigInteger.valueOf(50)).send().component2());
        assertEquals(BigInteger.valueOf(20), lc.getHotShotCommitment(BigInteger.valueOf(1)).send().component2());
        assertReverts(l1, owner, lc, lc.getHotShotCommitment(BigInteger.valueOf(51)),
                error("LightClient__HeightNotCertified(uint64,uint64)", u64(51), u64(50)));

        long last = updateBlocks.get(4);
        for (int i = 0; i < 5; i++) {
            l1.mine();
        }
        BigInteger now = BigInteger.valueOf(l1.blockNumber());
        assertTrue(lc.lagOverEscapeHatchThreshold(now, BigInteger.valueOf(4)).send());
        assertFalse(lc.lagOverEscapeHatchThreshold(now, BigInteger.valueOf(5)).send());
        // Just before the last update, the previous one was 3 blocks old.
        BigInteger before = BigInteger.valueOf(last - 1);
        assertTrue(lc.lagOverEscapeHatchThreshold(before, BigInteger.valueOf(1)).send());
        assertFalse(lc.lagOverEscapeHatchThreshold(before, BigInteger.valueOf(2)).send());
        assertReverts(l1, owner, lc, lc.lagOverEscapeHatchThreshold(now.add(BigInteger.TEN), BigInteger.ONE),
                error("LightClient__FutureL1Block(uint256,uint256)", u(now.add(BigInteger.TEN)), u(now)));
        assertReverts(l1, owner, lc, lc.lagOverEscapeHatchThreshold(BigInteger.valueOf(genesisBlock), BigInteger.ONE),
                error("LightClient__InsufficientHistory(uint256,uint256)", u(genesisBlock),
                        new Uint256(updateBlocks.get(1))));
        var oldest = lc.historyAt(BigInteger.ZERO).send();
        assertEquals(BigInteger.valueOf(20), oldest.component2());
    }

    @Test
    void acceptsACertificateFormedByTheProtocolModuleForARandomTable() throws Exception {
        Random rnd = new Random(2026);
        List<StakeEntry> entries = new ArrayList<>();
        List<BlsKeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] seed = new byte[32];
            rnd.nextBytes(seed);
            keys.add(BlsKeyPair.fromSeed(seed));
            entries.add(new StakeEntry(keys.get(i).publicKey(), 1 + rnd.nextInt(1_000_000), rnd.nextBoolean()));
        }
        StakeTable t = StakeTable.of(entries);
        LightClient lc = LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.valueOf(CHAIN),
                new LightClient.LightClientState(BigInteger.ZERO, BigInteger.ZERO, new byte[32], t.commitment().bytes()),
                BigInteger.valueOf(8), ZERO).send();
        LightClientState state = new LightClientState(new View(7), new Height(12), root("p"), t.commitment());
        SignatureAccumulator acc = new SignatureAccumulator(t, ThresholdKind.QUORUM, state.digest(CHAIN));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            order.add(i);
        }
        Collections.shuffle(order, rnd);
        for (int i : order) {
            if (acc.add(i, Bls.sign(keys.get(i).secretKey(), state.digest(CHAIN))).status()
                    == SignatureAccumulator.Status.CERTIFIED) {
                break;
            }
        }
        AggregateCertificate cert = acc.certificate().orElseThrow();
        LightClientCertificate lcc = new LightClientCertificate(state, cert);
        NonSignerData data = lcc.nonSignerData(t);
        byte[] sig = cert.signature().toEip2537();

        // The same certificate with one signer bit flipped (an absent member claimed as a signer) is refused.
        int absent = cert.signers().nonSigners().findFirst().orElseThrow();
        NonSignerData flipped = NonSignerData.build(t, cert.signers().with(absent));
        assertReverts(l1, owner, lc, lc.newFinalizedState(LightClientCalldata.state(state),
                LightClientCalldata.table(flipped), sig, LightClientCalldata.absent(flipped)),
                error("LightClient__InvalidSignature(bytes32)", b32(state.digest(CHAIN).bytes())));
        ok(lc.newFinalizedState(LightClientCalldata.state(state), LightClientCalldata.table(data), sig,
                LightClientCalldata.absent(data)));
        assertEquals(BigInteger.valueOf(12), lc.finalizedState().send().component2());
    }
}
