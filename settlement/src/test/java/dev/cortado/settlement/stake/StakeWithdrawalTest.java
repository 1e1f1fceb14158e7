package dev.cortado.settlement.stake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.lightclient.ContractRevert;
import dev.cortado.settlement.lightclient.LightClientCalldata;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

class StakeWithdrawalTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final List<BlsKeyPair> KEYS = StakeFixtures.keys(5);

    /** Validator ids as StakeTable.sol assigns them: key i registered as id i + 1. */
    private static final Map<Bytes32, Long> IDS = new HashMap<>();

    static {
        for (int i = 0; i < KEYS.size(); i++) IDS.put(keyHash(i), i + 1L);
    }

    private static Bytes32 keyHash(int i) {
        return Keccak.hash(KEYS.get(i).publicKey().toEip2537());
    }

    private static long idOf(Bytes32 keyHash) {
        return IDS.getOrDefault(keyHash, 0L);
    }

    private static EpochAnswer answer(long epoch, StakeTable table) {
        return EpochAnswer.of(epoch, SCHEDULE, table, null);
    }

    @Test
    void aTableWithoutTheWithdrawerAndWithANewerValidatorReleasesTheStake() {
        StakeTable without0 = StakeFixtures.table(KEYS.subList(1, 4));
        var plan = StakeWithdrawal.plan(answer(2, without0), without0.commitment(), 1, keyHash(0), StakeWithdrawalTest::idOf);
        var ready = (StakeWithdrawal.Plan.Ready) plan;
        assertEquals(2, ready.witnessIndex(), "the newest entry is the witness");
        var expected = LightClientCalldata.exitEscrowTable(without0, 2);
        assertEquals(expected.witnessIndex, ready.argument().witnessIndex);
        assertArrayEquals(expected.aggKeyHash, ready.argument().aggKeyHash);
        assertEquals(3, ready.argument().keyHashes.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(keyHash(1 + i).bytes(), ready.argument().keyHashes.get(i));
            assertEquals(BigInteger.valueOf(without0.entries().get(i).stakeGwei()), ready.argument().stakesGwei.get(i));
        }
    }

    @Test
    void aTableThatStillHoldsTheWithdrawerNamesItsIndex() {
        StakeTable all = StakeFixtures.table(KEYS.subList(0, 4));
        assertEquals(new StakeWithdrawal.Plan.StillHeld(2),
                StakeWithdrawal.plan(answer(1, all), all.commitment(), 3, keyHash(2), StakeWithdrawalTest::idOf));
    }

    @Test
    void aTableOtherThanTheLightClientsIsRefusedBeforeItsEntriesAreRead() {
        StakeTable answered = StakeFixtures.table(KEYS.subList(1, 4));
        StakeTable onL1 = StakeFixtures.table(KEYS.subList(0, 4));
        assertEquals(new StakeWithdrawal.Plan.NotCurrentTable(onL1.commitment(), answered.commitment()),
                StakeWithdrawal.plan(answer(2, answered), onL1.commitment(), 1, keyHash(0), k -> {
                    throw new AssertionError("no L1 lookup for a table the light client does not hold");
                }));
    }

    @Test
    void withoutAValidatorNewerThanTheWithdrawerTheTableProvesNothing() {
        // Validator 5 (key 4) exited; the table of 2..4 might have been read before it registered.
        StakeTable older = StakeFixtures.table(KEYS.subList(1, 4));
        assertEquals(new StakeWithdrawal.Plan.NoLaterValidator(4),
                StakeWithdrawal.plan(answer(3, older), older.commitment(), 5, keyHash(4), StakeWithdrawalTest::idOf));
    }

    @Test
    void aMalformedAnswerIsAnArgumentError() {
        var bad = new EpochAnswer(1, 9, 16, "0x00", List.of(new EpochAnswer.EntryJson("0x1234", 1, true)), null);
        assertThrows(IllegalArgumentException.class, () -> StakeWithdrawal.plan(bad, Bytes32.ZERO, 1, keyHash(0),
                StakeWithdrawalTest::idOf));
    }

    @Test
    void theTableEpochFollowsAHandoverState() {
        assertEquals(0, StakeWithdrawal.tableEpoch(SCHEDULE, 0));
        assertEquals(1, StakeWithdrawal.tableEpoch(SCHEDULE, SCHEDULE.lastHeight(0)));
        assertEquals(1, StakeWithdrawal.tableEpoch(SCHEDULE, SCHEDULE.firstHeight(1)));
        assertEquals(2, StakeWithdrawal.tableEpoch(SCHEDULE, SCHEDULE.lastHeight(1)));
    }

    @Test
    void revertsDecodeWithTheirNamedArguments() {
        String still = selector("StakeTable__StillInLightClientTable(uint32,uint256)")
                + FunctionEncoder.encodeConstructor(List.of(new Uint32(1), new Uint256(0)));
        assertEquals("StakeTable__StillInLightClientTable(validatorId=1, index=0)",
                StakeWithdrawal.decodeRevert(still).toString());
        String escrow = selector("StakeTable__EscrowNotElapsed(uint64,uint256)")
                + FunctionEncoder.encodeConstructor(List.of(new Uint64(160), new Uint256(100)));
        ContractRevert r = StakeWithdrawal.decodeRevert(escrow);
        assertEquals("StakeTable__EscrowNotElapsed", r.name());
        assertEquals(List.of(new ContractRevert.Argument("withdrawableAt", "160"),
                new ContractRevert.Argument("nowSeconds", "100")), r.arguments());
        assertEquals("unknown", StakeWithdrawal.decodeRevert("0xdeadbeef").name());
        assertEquals("unknown", StakeWithdrawal.decodeRevert(still.substring(0, 20)).name(), "truncated arguments");
    }

    private static String selector(String signature) {
        return Numeric.toHexString(Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 10);
    }
}
