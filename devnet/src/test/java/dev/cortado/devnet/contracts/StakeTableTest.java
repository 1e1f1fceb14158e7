package dev.cortado.devnet.contracts;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.gwei;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.selector;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.RejectingAccount;
import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.devnet.contracts.support.Chain;
import dev.cortado.devnet.contracts.support.TestStakeTable;
import dev.cortado.devnet.contracts.support.TestStakeTable.Member;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.types.Address;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** StakeTable.sol on a live Anvil: PoP registration, exits with escrow, the Java-equal commitment. */
class StakeTableTest {
    private static final long MIN_STAKE_GWEI = 1_000;
    private static final long ESCROW_SECONDS = 100;

    private static L1Devnet l1;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private static StakeTable deploy(long maxValidators) throws Exception {
        return deploy(maxValidators, new byte[32]);
    }

    /** A StakeTable gated by a real LightClient whose current table has commitment {@code lcTable}. */
    private static StakeTable deploy(long maxValidators, byte[] lcTable) throws Exception {
        var lc = dev.cortado.contracts.generated.LightClient.deploy(l1.web3j(), tm(l1, l1.deployer()), GAS,
                l1.deployer().getAddress(), BigInteger.valueOf(4343), new dev.cortado.contracts.generated.LightClient
                        .LightClientState(BigInteger.ZERO, BigInteger.ZERO, new byte[32], lcTable),
                BigInteger.valueOf(4), "0x0000000000000000000000000000000000000000").send();
        return StakeTable.deploy(l1.web3j(), tm(l1, l1.deployer()), GAS, BigInteger.valueOf(MIN_STAKE_GWEI),
                BigInteger.valueOf(ESCROW_SECONDS), BigInteger.valueOf(maxValidators), lc.getContractAddress()).send();
    }

    private static dev.cortado.protocol.stake.StakeTable javaTable(BlsKeyPair kp, long stakeGwei, boolean isDa) {
        return dev.cortado.protocol.stake.StakeTable.of(List.of(new StakeEntry(kp.publicKey(), stakeGwei, isDa)));
    }

    private static StakeTable.CurrentTable current(dev.cortado.protocol.stake.StakeTable table, int witness) {
        return dev.cortado.settlement.lightclient.LightClientCalldata.exitEscrowTable(table, witness);
    }

    private static StakeTable as(StakeTable st, Credentials who) {
        return StakeTable.load(st.getContractAddress(), l1.web3j(), tm(l1, who), GAS);
    }

    private static byte[] pop(StakeTable st, BlsKeyPair signer, Credentials registrant, BlsKeyPair keyOwner) {
        return Bls.popProve(signer.secretKey(), l1.chainId(), Address.fromHex(st.getContractAddress()),
                Address.fromHex(registrant.getAddress()), keyOwner.publicKey()).toEip2537();
    }

    private static TransactionReceipt register(StakeTable st, Credentials who, BlsKeyPair kp, long stakeGwei,
            boolean isDa) {
        return ok(as(st, who).register(kp.publicKey().toEip2537(), pop(st, kp, who, kp), isDa, gwei(stakeGwei)));
    }

    private static byte[] keyHash(BlsKeyPair kp) {
        return Keccak.hash(kp.publicKey().toEip2537()).bytes();
    }

    @Test
    void registersWithProofOfPossessionAndCommitsLikeJava() throws Exception {
        StakeTable st = deploy(8);
        Credentials a = l1.accounts().get(1);
        Credentials b = l1.accounts().get(2);
        BlsKeyPair ka = TestStakeTable.keyPair(1, 1);
        BlsKeyPair kb = TestStakeTable.keyPair(1, 2);

        TransactionReceipt r = register(st, a, ka, 2_000, true);
        var events = StakeTable.getValidatorRegisteredEvents(r);
        assertEquals(1, events.size());
        assertEquals(BigInteger.ONE, events.getFirst().validatorId);
        assertArrayEquals(ka.publicKey().toEip2537(), events.getFirst().blsKey);
        assertEquals(BigInteger.valueOf(2_000), events.getFirst().stakeGwei);
        assertArrayEquals(new TestStakeTable(List.of(new Member(ka, 2_000, true))).commitment().bytes(),
                st.commitment().send());
        // Every change of the table announces itself with the parts of the commitment it can afford.
        var changed = StakeTable.getStakeTableChangedEvents(r);
        assertEquals(1, changed.size());
        assertEquals(BigInteger.ONE, changed.getFirst().activeCount);
        assertEquals(BigInteger.valueOf(2_000), changed.getFirst().totalStakeGwei);
        assertArrayEquals(Keccak.hash(ka.publicKey().toEip2537()).bytes(), changed.getFirst().aggKeyHash);

        register(st, b, kb, 3_000, false);
        TestStakeTable both = new TestStakeTable(List.of(new Member(ka, 2_000, true), new Member(kb, 3_000, false)));
        assertArrayEquals(both.commitment().bytes(), st.commitment().send());
        // The protocol module's StakeTable, which the nodes use, computes the same commitment.
        var protocolTable = dev.cortado.protocol.stake.StakeTable.of(List.of(
                new StakeEntry(ka.publicKey(), 2_000, true), new StakeEntry(kb.publicKey(), 3_000, false)));
        assertArrayEquals(protocolTable.commitment().bytes(), st.commitment().send());
        var summary = st.summary().send();
        assertArrayEquals(both.root().bytes(), summary.component1());
        assertEquals(BigInteger.TWO, summary.component2());
        assertEquals(BigInteger.valueOf(5_000), summary.component3());
        assertArrayEquals(both.aggKey(), summary.component4());
        assertEquals(List.of(BigInteger.ONE, BigInteger.TWO), st.activeValidatorIds().send());
        assertEquals(BigInteger.ONE, st.keyUsedBy(keyHash(ka)).send());
        assertEquals(BigInteger.TWO, st.validatorIdOf(b.getAddress()).send());
        assertEquals(BigInteger.valueOf(MIN_STAKE_GWEI), st.minStakeGwei().send());
        assertEquals(BigInteger.valueOf(ESCROW_SECONDS), st.exitEscrowSeconds().send());
        assertEquals(BigInteger.valueOf(8), st.maxValidators().send());
        var v = st.validator(BigInteger.TWO).send();
        assertEquals(b.getAddress(), v.component1());
        assertEquals(BigInteger.ONE, v.component4()); // Active
    }

    @Test
    void refusesRogueKeysAndBorrowedProofs() throws Exception {
        StakeTable st = deploy(8);
        Credentials victim = l1.accounts().get(1);
        Credentials attacker = l1.accounts().get(2);
        BlsKeyPair kv = TestStakeTable.keyPair(2, 1);
        BlsKeyPair ka = TestStakeTable.keyPair(2, 2);
        register(st, victim, kv, 1_000, false);

        // Rogue key pk_a - pk_v: the attacker knows no secret key for it, so it signs with its own.
        byte[] rogue = Bls.subtractKeys(ka.publicKey(), List.of(kv.publicKey())).toEip2537();
        byte[] rogueHash = Keccak.hash(rogue).bytes();
        byte[] fakePop = Bls.popProve(ka.secretKey(), l1.chainId(), Address.fromHex(st.getContractAddress()),
                Address.fromHex(attacker.getAddress()),
                ka.publicKey()).toEip2537();
        StakeTable byAttacker = as(st, attacker);
        assertReverts(l1, attacker, st, byAttacker.register(rogue, fakePop, false, gwei(1_000)), gwei(1_000),
                error("StakeTable__InvalidProofOfPossession(bytes32)", b32(rogueHash)));

        // A valid proof made for another registrant cannot be replayed by the attacker.
        BlsKeyPair kx = TestStakeTable.keyPair(2, 3);
        byte[] popForVictim = pop(st, kx, victim, kx);
        assertReverts(l1, attacker, st, byAttacker.register(kx.publicKey().toEip2537(), popForVictim, false,
                gwei(1_000)), gwei(1_000), error("StakeTable__InvalidProofOfPossession(bytes32)", b32(keyHash(kx))));

        // A proof the attacker made for another StakeTable deployment on the same chain is refused here.
        StakeTable elsewhere = deploy(8);
        assertReverts(l1, attacker, st, byAttacker.register(kx.publicKey().toEip2537(), pop(elsewhere, kx, attacker, kx),
                false, gwei(1_000)), gwei(1_000),
                error("StakeTable__InvalidProofOfPossession(bytes32)", b32(keyHash(kx))));

        // A key is usable once, even with a fresh proof bound to the attacker.
        assertReverts(l1, attacker, st, byAttacker.register(kv.publicKey().toEip2537(), pop(st, kv, attacker, kv), false,
                gwei(1_000)), gwei(1_000),
                error("StakeTable__KeyAlreadyUsed(bytes32,uint32)", b32(keyHash(kv)), u32(1)));
        // The point at infinity is never a key.
        assertReverts(l1, attacker, st, byAttacker.register(new byte[256], new byte[128], false, gwei(1_000)),
                gwei(1_000), selector("StakeTable__InvalidProofOfPossession(bytes32)"));
    }

    @Test
    void refusesMalformedRegistrations() throws Exception {
        StakeTable st = deploy(1);
        Credentials a = l1.accounts().get(1);
        Credentials b = l1.accounts().get(2);
        BlsKeyPair ka = TestStakeTable.keyPair(3, 1);
        BlsKeyPair kb = TestStakeTable.keyPair(3, 2);
        StakeTable byA = as(st, a);
        byte[] pk = ka.publicKey().toEip2537();
        byte[] pop = pop(st, ka, a, ka);
        assertReverts(l1, a, st, byA.register(new byte[255], pop, false, gwei(1_000)), gwei(1_000),
                error("StakeTable__BadKeyLength(uint256)", u(255)));
        assertReverts(l1, a, st, byA.register(pk, new byte[127], false, gwei(1_000)), gwei(1_000),
                error("StakeTable__BadSignatureLength(uint256)", u(127)));
        BigInteger notWhole = gwei(1_000).add(BigInteger.ONE);
        assertReverts(l1, a, st, byA.register(pk, pop, false, notWhole), notWhole,
                error("StakeTable__StakeNotWholeGwei(uint256)", u(notWhole)));
        assertReverts(l1, a, st, byA.register(pk, pop, false, gwei(999)), gwei(999),
                error("StakeTable__StakeTooLow(uint256,uint256)", u(999), u(MIN_STAKE_GWEI)));
        register(st, a, ka, 1_000, false);
        BlsKeyPair ka2 = TestStakeTable.keyPair(3, 3);
        assertReverts(l1, a, st, byA.register(ka2.publicKey().toEip2537(), pop(st, ka2, a, ka2), false, gwei(1_000)),
                gwei(1_000), error("StakeTable__AlreadyRegistered(address,uint32)", addr(a.getAddress()), u32(1)));
        assertReverts(l1, b, st, as(st, b).register(kb.publicKey().toEip2537(), pop(st, kb, b, kb), false, gwei(1_000)),
                gwei(1_000), error("StakeTable__TableFull(uint256)", u(1)));
    }

    @Test
    void exitsLeaveTheTableAndWithdrawOnceAfterTheEscrow() throws Exception {
        BlsKeyPair kb0 = TestStakeTable.keyPair(4, 2);
        // The light client's table once a exits: b alone, registered after a, so it witnesses the exit.
        var afterExitTable = javaTable(kb0, 1_000, true);
        StakeTable st = deploy(8, afterExitTable.commitment().bytes());
        Credentials a = l1.accounts().get(3);
        Credentials b = l1.accounts().get(4);
        BlsKeyPair ka = TestStakeTable.keyPair(4, 1);
        BlsKeyPair kb = TestStakeTable.keyPair(4, 2);
        register(st, a, ka, 5_000, false);
        register(st, b, kb, 1_000, true);
        StakeTable byA = as(st, a);
        StakeTable byB = as(st, b);

        assertReverts(l1, b, st, byB.requestExit(ka.publicKey().toEip2537()),
                error("StakeTable__KeyMismatch(bytes32,bytes32)", b32(keyHash(kb)), b32(keyHash(ka))));
        assertReverts(l1, a, st, byA.withdraw(current(afterExitTable, 0)),
                error("StakeTable__NothingToWithdraw(address)", addr(a.getAddress())));

        TransactionReceipt exit = ok(byA.requestExit(ka.publicKey().toEip2537()));
        var afterExit = StakeTable.getStakeTableChangedEvents(exit).getFirst();
        assertEquals(BigInteger.valueOf(afterExit.activeCount.longValueExact()), st.summary().send().component2());
        assertEquals(afterExit.totalStakeGwei, st.summary().send().component3());
        assertArrayEquals(Keccak.hash(st.summary().send().component4()).bytes(), afterExit.aggKeyHash);
        var exited = StakeTable.getValidatorExitedEvents(exit);
        assertEquals(1, exited.size());
        // The table is now member b alone, at index 0.
        assertArrayEquals(new TestStakeTable(List.of(new Member(kb, 1_000, true))).commitment().bytes(),
                st.commitment().send());
        assertEquals(List.of(BigInteger.TWO), st.activeValidatorIds().send());
        assertReverts(l1, a, st, byA.requestExit(ka.publicKey().toEip2537()),
                error("StakeTable__NotActive(address)", addr(a.getAddress())));
        // eth_call runs on the latest block, so "now" is its timestamp.
        assertReverts(l1, a, st, byA.withdraw(current(afterExitTable, 0)), error("StakeTable__EscrowNotElapsed(uint64,uint256)",
                new org.web3j.abi.datatypes.generated.Uint64(exited.getFirst().withdrawableAt),
                u(l1.latestTimestampSec())));

        l1.travel(ESCROW_SECONDS);
        BigInteger before = Chain.balance(l1, a.getAddress());
        TransactionReceipt w = ok(byA.withdraw(current(afterExitTable, 0)));
        assertEquals(gwei(5_000), StakeTable.getStakeWithdrawnEvents(w).getFirst().amountWei);
        BigInteger gasCost = w.getGasUsed().multiply(Chain.GAS.getGasPrice());
        assertTrue(Chain.balance(l1, a.getAddress()).add(gasCost).compareTo(before.add(gwei(5_000))) >= 0);
        assertReverts(l1, a, st, byA.withdraw(current(afterExitTable, 0)),
                error("StakeTable__NothingToWithdraw(address)", addr(a.getAddress())));

        // After withdrawing, the account may join again, but never with its old key.
        assertReverts(l1, a, st, byA.register(ka.publicKey().toEip2537(), pop(st, ka, a, ka), false, gwei(1_000)),
                gwei(1_000), error("StakeTable__KeyAlreadyUsed(bytes32,uint32)", b32(keyHash(ka)), u32(1)));
        BlsKeyPair fresh = TestStakeTable.keyPair(4, 3);
        register(st, a, fresh, 1_000, false);
        assertArrayEquals(new TestStakeTable(List.of(new Member(kb, 1_000, true), new Member(fresh, 1_000, false)))
                .commitment().bytes(), st.commitment().send());
    }

    @Test
    void aStakeThatCannotBePaidOutRevertsTheWithdrawal() throws Exception {
        Credentials later = l1.accounts().get(6);
        BlsKeyPair kl = TestStakeTable.keyPair(6, 2);
        var lcTable = javaTable(kl, 1_000, false);
        StakeTable st = deploy(8, lcTable.commitment().bytes());
        Credentials owner = l1.accounts().get(5);
        RejectingAccount account = RejectingAccount.deploy(l1.web3j(), tm(l1, owner), GAS).send();
        String who = account.getContractAddress();
        BlsKeyPair kp = TestStakeTable.keyPair(6, 1);
        byte[] pk = kp.publicKey().toEip2537();
        byte[] pop = Bls.popProve(kp.secretKey(), l1.chainId(), Address.fromHex(st.getContractAddress()),
                Address.fromHex(who), kp.publicKey()).toEip2537();
        ok(account.forward(st.getContractAddress(), data(st.register(pk, pop, false, gwei(2_000))), gwei(2_000)));
        assertEquals(BigInteger.ONE, st.validatorIdOf(who).send());
        register(st, later, kl, 1_000, false);
        ok(account.forward(st.getContractAddress(), data(st.requestExit(pk)), BigInteger.ZERO));
        l1.travel(ESCROW_SECONDS);
        assertReverts(l1, owner, account, account.forward(st.getContractAddress(), data(st.withdraw(current(lcTable, 0))),
                BigInteger.ZERO),
                error("StakeTable__TransferFailed(address,uint256)", addr(who), u(gwei(2_000))));
    }

    static byte[] data(org.web3j.protocol.core.RemoteFunctionCall<?> call) {
        return org.web3j.utils.Numeric.hexStringToByteArray(call.encodeFunctionCall());
    }
}
