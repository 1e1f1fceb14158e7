package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.assertDeployReverts;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.gwei;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.devnet.contracts.support.TestStakeTable;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import dev.cortado.settlement.lightclient.LightClientCalldata;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Stake leaves only when LightClient.sol's current table no longer holds it, on a live Anvil: the
 * light client rotates through real handovers (BLS certificates by each outgoing table, refused when the
 * wrong table signs), and StakeTable.sol releases exited stake only against the rotated table.
 */
class ExitEscrowTest {
    private static final long HOTSHOT_CHAIN = 4344;
    private static final long STAKE_GWEI = 1_000;
    private static final long ESCROW_SECONDS = 50;
    private static final String NO_PROVER = "0x0000000000000000000000000000000000000000";

    private static L1Devnet l1;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private record Validator(Credentials account, BlsKeyPair key) {
    }

    private static dev.cortado.protocol.stake.StakeTable table(Validator... vs) {
        List<StakeEntry> entries = new ArrayList<>();
        for (Validator v : vs) entries.add(new StakeEntry(v.key().publicKey(), STAKE_GWEI, false));
        return dev.cortado.protocol.stake.StakeTable.of(entries);
    }

    private static void register(StakeTable st, Validator v) {
        byte[] pop = Bls.popProve(v.key().secretKey(), l1.chainId(), Address.fromHex(st.getContractAddress()),
                Address.fromHex(v.account().getAddress()), v.key().publicKey()).toEip2537();
        ok(as(st, v.account()).register(v.key().publicKey().toEip2537(), pop, false, gwei(STAKE_GWEI)));
    }

    private static StakeTable as(StakeTable st, Credentials who) {
        return StakeTable.load(st.getContractAddress(), l1.web3j(), tm(l1, who), GAS);
    }

    /** The light-client update of {@code state} by {@code signers} (table indexes), checked against {@code table}. */
    private static org.web3j.protocol.core.RemoteFunctionCall<TransactionReceipt> update(LightClient lc,
            dev.cortado.protocol.stake.StakeTable table, List<BlsKeyPair> signingKeys, LightClientState state,
            SignerBitmap signers) {
        List<BlsSignature> sigs = new ArrayList<>();
        signers.signers().forEach(i -> sigs.add(Bls.sign(signingKeys.get(i).secretKey(), state.digest(HOTSHOT_CHAIN))));
        NonSignerData data = NonSignerData.build(table, signers);
        return lc.newFinalizedState(LightClientCalldata.state(state), LightClientCalldata.table(data),
                Bls.aggregate(sigs).toEip2537(), LightClientCalldata.absent(data));
    }

    private static LightClientState handover(long view, long height, dev.cortado.protocol.stake.StakeTable next) {
        return new LightClientState(View.of(view), Height.of(height), Bytes32.ZERO, next.commitment());
    }

    private static List<BlsKeyPair> keys(Validator... vs) {
        return java.util.Arrays.stream(vs).map(Validator::key).toList();
    }

    @Test
    void exitedStakeLeavesOnlyOnceTheLightClientRotatedToATableWithoutIt() throws Exception {
        List<Validator> v = new ArrayList<>();
        for (int i = 0; i < 5; i++) v.add(new Validator(l1.accounts().get(1 + i), TestStakeTable.keyPair(40, i)));
        Validator a = v.get(0), b = v.get(1), c = v.get(2), d = v.get(3), e = v.get(4);
        var t0 = table(a, b, c, d);
        Credentials owner = l1.deployer();
        LightClient lc = LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(),
                BigInteger.valueOf(HOTSHOT_CHAIN), new LightClient.LightClientState(BigInteger.ZERO, BigInteger.ZERO,
                        new byte[32], t0.commitment().bytes()), BigInteger.valueOf(8), NO_PROVER).send();
        StakeTable st = StakeTable.deploy(l1.web3j(), tm(l1, owner), GAS, BigInteger.valueOf(STAKE_GWEI),
                BigInteger.valueOf(ESCROW_SECONDS), BigInteger.valueOf(16), lc.getContractAddress()).send();
        assertEquals(lc.getContractAddress(), st.lightClient().send());
        for (Validator x : List.of(a, b, c, d)) register(st, x);
        assertArrayEquals(t0.commitment().bytes(), st.commitment().send());

        // a (id 1) exits; past the time escrow, the light client's table still holds it.
        ok(as(st, a.account()).requestExit(a.key().publicKey().toEip2537()));
        l1.travel(ESCROW_SECONDS);
        var t1 = table(b, c, d);
        assertArrayEquals(t1.commitment().bytes(), st.commitment().send());
        StakeTable byA = as(st, a.account());
        assertReverts(l1, a.account(), st, byA.withdraw(LightClientCalldata.exitEscrowTable(t0, 1)),
                error("StakeTable__StillInLightClientTable(uint32,uint256)", u32(1), u(0)));
        assertReverts(l1, a.account(), st, byA.withdraw(LightClientCalldata.exitEscrowTable(t1, 0)),
                error("StakeTable__NotLightClientTable(bytes32,bytes32)", b32(t0.commitment().bytes()),
                        b32(t1.commitment().bytes())));
        var lopsided = new StakeTable.CurrentTable(List.of(new byte[32], new byte[32]), List.of(BigInteger.ONE),
                List.of(false, false), new byte[32], BigInteger.ZERO);
        assertReverts(l1, a.account(), st, byA.withdraw(lopsided),
                error("StakeTable__TableLengthMismatch(uint256,uint256,uint256)", u(2), u(1), u(2)));

        // The handover into t1 signed by t1 itself: LightClient.sol checks the table against its own.
        LightClientState into1 = handover(7, 3, t1);
        assertReverts(l1, owner, lc, update(lc, t1, keys(b, c, d), into1, SignerBitmap.full(3)),
                error("LightClient__WrongStakeTable(bytes32,bytes32)", b32(t0.commitment().bytes()),
                        b32(t1.commitment().bytes())));
        // t0's summary, but signed by e in a's place: the pairing fails.
        assertReverts(l1, owner, lc, update(lc, t0, keys(e, b, c, d), into1, SignerBitmap.full(4)),
                error("LightClient__InvalidSignature(bytes32)", b32(into1.digest(HOTSHOT_CHAIN).bytes())));
        // Signed by b, c and d of t0 (a, gone on L1, does not sign): the rotation is accepted.
        TransactionReceipt r = ok(update(lc, t0, keys(a, b, c, d), into1, SignerBitmap.of(4, 1, 2, 3)));
        var rotated = LightClient.getStakeTableRotatedEvents(r);
        assertEquals(1, rotated.size());
        assertArrayEquals(t0.commitment().bytes(), rotated.getFirst().oldComm);
        assertArrayEquals(t1.commitment().bytes(), rotated.getFirst().newComm);
        assertArrayEquals(t1.commitment().bytes(), lc.stakeTableCommitment().send());
        // b (id 2) registered after a and sits in the current table: a's stake is released.
        TransactionReceipt paid = ok(byA.withdraw(LightClientCalldata.exitEscrowTable(t1, 0)));
        assertEquals(gwei(STAKE_GWEI), StakeTable.getStakeWithdrawnEvents(paid).getFirst().amountWei);

        // d (id 4), the newest validator, exits. A table without it and without anyone newer could
        // be one read before d registered, so it proves nothing.
        ok(as(st, d.account()).requestExit(d.key().publicKey().toEip2537()));
        l1.travel(ESCROW_SECONDS);
        var t2 = table(b, c);
        ok(update(lc, t1, keys(b, c, d), handover(11, 7, t2), SignerBitmap.full(3)));
        StakeTable byD = as(st, d.account());
        assertReverts(l1, d.account(), st, byD.withdraw(LightClientCalldata.exitEscrowTable(t2, 1)),
                error("StakeTable__NoLaterValidatorInTable(uint32,uint32)", u32(4), u32(3)));
        assertReverts(l1, d.account(), st, byD.withdraw(LightClientCalldata.exitEscrowTable(t2, 2)),
                error("StakeTable__WitnessOutOfRange(uint256,uint256)", u(2), u(2)));
        // e (id 5) joins; once the light client rotates to a table with e, d's stake is released.
        register(st, e);
        var t3 = table(b, c, e);
        assertArrayEquals(t3.commitment().bytes(), st.commitment().send());
        ok(update(lc, t2, keys(b, c), handover(15, 11, t3), SignerBitmap.full(2)));
        paid = ok(byD.withdraw(LightClientCalldata.exitEscrowTable(t3, 2)));
        assertEquals(gwei(STAKE_GWEI), StakeTable.getStakeWithdrawnEvents(paid).getFirst().amountWei);
    }

    @Test
    @SuppressWarnings("rawtypes")
    void aStakeTableNeedsALightClient() {
        List<Type> args = List.of(u(1), u(1), u(1), new org.web3j.abi.datatypes.Address(NO_PROVER));
        assertDeployReverts(l1, l1.deployer(), StakeTable.BINARY, args, error("StakeTable__ZeroLightClient()"));
    }
}
