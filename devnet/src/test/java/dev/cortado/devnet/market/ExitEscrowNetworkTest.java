package dev.cortado.devnet.market;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.addr;
import static dev.cortado.devnet.contracts.support.Chain.assertReverts;
import static dev.cortado.devnet.contracts.support.Chain.b32;
import static dev.cortado.devnet.contracts.support.Chain.error;
import static dev.cortado.devnet.contracts.support.Chain.gwei;
import static dev.cortado.devnet.contracts.support.Chain.revertData;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static dev.cortado.devnet.contracts.support.Chain.u;
import static dev.cortado.devnet.contracts.support.Chain.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.devnet.cli.CortadoCli;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.devnet.testing.Await;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.lightclient.ContractRevert;
import dev.cortado.settlement.lightclient.LightClientCalldata;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import dev.cortado.settlement.stake.StakeWithdrawal;
import dev.cortado.settlement.stake.StakeWithdrawal.Plan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/**
 * Issue 14's exit escrow on the live network, on a real Anvil: five validators, index 0 (validator id 1) exits
 * while the nodes run. Past the time escrow, StakeTable.sol keeps its stake for as long as LightClient.sol's current
 * table holds it: the poster moves LightClient.sol one handover at a time from the genesis table, and at every
 * table that still holds the exiter the withdrawal, built from the nodes' {@code GET /v0/epoch/{e}} answer by
 * {@link StakeWithdrawal}, reverts with {@code StakeTable__StillInLightClientTable(1, 0)} and {@code cortado
 * withdraw-stake} declines. Once LightClient.sol holds the first table without it, {@code cortado withdraw-stake}
 * pays exactly the stake, and a second withdrawal has nothing to withdraw.
 */
class ExitEscrowNetworkTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final int EXITER = 0;
    private static final long EXITER_ID = 1;

    @Test
    void exitedStakeIsReleasedOnlyOnceLightClientSolNoLongerHoldsItsTable(@TempDir Path dir) throws Exception {
        List<BlsKeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) keys.add(DevnetValidators.keyPair(400 + i));
        try (L1EpochsNetwork net = L1EpochsNetwork.start(dir, keys, keys.size(), SCHEDULE)) {
            run(net, keys.get(EXITER));
        }
    }

    private static void run(L1EpochsNetwork net, BlsKeyPair exiterKey) throws Exception {
        L1Devnet l1 = net.l1();
        Credentials exiter = net.account(EXITER);
        StakeTable byExiter = StakeTable.load(net.deployment().stakeTable().address(), l1.web3j(), tm(l1, exiter), GAS);
        assertEquals(EXITER_ID, byExiter.validatorIdOf(exiter.getAddress()).send().longValueExact());
        Bytes32 exiterKeyHash = Bytes32.of(byExiter.validator(BigInteger.valueOf(EXITER_ID)).send().component6());

        long exitedAt = net.stakeTable().exit(exiter, exiterKey);
        BigInteger withdrawableAt = byExiter.validator(BigInteger.valueOf(EXITER_ID)).send().component5();
        // Before the time escrow, the contract refuses whatever table is presented.
        ContractRevert early = StakeWithdrawal.decodeRevert(revertData(l1, exiter, byExiter,
                byExiter.withdraw(LightClientCalldata.exitEscrowTable(net.genesis(), 4)), BigInteger.ZERO));
        assertEquals("StakeTable__EscrowNotElapsed", early.name(), early.toString());
        assertEquals(withdrawableAt.toString(), early.arguments().get(0).value(), early.toString());
        assertTrue(new BigInteger(early.arguments().get(1).value()).compareTo(withdrawableAt) < 0, early.toString());
        // Past the escrow on L1's clock, so from here only the light client's table holds the stake.
        l1.increaseTime(byExiter.exitEscrowSeconds().send().longValueExact() + 1);
        l1.mine();
        assertTrue(l1.latestTimestampSec() >= withdrawableAt.longValueExact(), "the escrow elapsed on L1");

        Cli active = withdrawStake(net, net.account(1), false);
        assertEquals(1, active.code(), active.toString());
        assertTrue(active.err().contains("validator 2 of " + net.account(1).getAddress() + " is still active"),
                active.toString());
        long exitEpoch = net.awaitEpochAfter("the exit", exitedAt, 40_000);
        NodeFollower api = new NodeFollower(net.apis().getFirst());
        var exitTable = api.epoch(exitEpoch).toTable();
        TreeSet<Long> heldAt = new TreeSet<>();
        try (LightClientPoster poster = LightClientPoster.connect(LightClientPoster.Config.of(l1.rpcUrl(),
                net.deployment().lightClient().address(), net.apis(), new StakeTableTrust.OnL1()).withEpochs(SCHEDULE),
                net.posterAccount())) {
            Plan[] plan = {null};
            Await.until("LightClient.sol holds the table of the exit's epoch " + exitEpoch, 40_000, () -> {
                Bytes32 onL1 = poster.reader().stakeTableCommitment();
                long epoch = StakeWithdrawal.tableEpoch(SCHEDULE, poster.reader().finalizedState().height());
                EpochAnswer answer = api.epoch(epoch);
                plan[0] = StakeWithdrawal.plan(answer, onL1, EXITER_ID, exiterKeyHash, k -> idOf(byExiter, k));
                if (epoch >= exitEpoch) return true;
                assertEquals(new Plan.StillHeld(0), plan[0], "epoch " + epoch + "'s table still holds the exiter");
                assertStillHeld(l1, exiter, byExiter, answer, onL1, exitTable);
                Cli held = withdrawStake(net, exiter, true);
                assertEquals(1, held.code(), held.toString());
                assertTrue(held.out().contains("not yet: LightClient.sol's current table (epoch " + epoch
                        + ") holds validator 1 at index 0"), held.toString());
                heldAt.add(epoch);
                // One handover at a time: the nodes are past this epoch, so the poster posts its last block.
                poster.postLatest();
                return false;
            }, () -> "contract at " + poster.reader().finalizedState() + ", " + net.heights());
            assertEquals(LongStream.range(0, exitEpoch).boxed().toList(), List.copyOf(heldAt),
                    "the withdrawal was refused at every table that held the exiter");
            assertEquals(exitTable.commitment(), poster.reader().stakeTableCommitment(), "LightClient.sol holds epoch " + exitEpoch);
            Plan.Ready ready = assertInstanceOf(Plan.Ready.class, plan[0]);
            assertEquals(ready.argument().witnessIndex.intValueExact(), exitTable.size() - 1, "the newest entry");
            Cli paid = withdrawStake(net, exiter, false);
            assertEquals(0, paid.code(), paid.toString());
            Matcher tx = Pattern.compile(" in (0x[0-9a-f]{64}) at L1 block ").matcher(paid.out());
            assertTrue(tx.find(), paid.toString());
            assertPaidOnce(l1, exiter, byExiter, ready, l1.web3j().ethGetTransactionReceipt(tx.group(1)).send()
                    .getTransactionReceipt().orElseThrow());
            Cli again = withdrawStake(net, exiter, false);
            assertEquals(1, again.code(), again.toString());
            assertTrue(again.out().contains("refused: StakeTable__NothingToWithdraw(account="
                    + exiter.getAddress().toLowerCase(java.util.Locale.ROOT) + ")"), again.toString());
            System.out.println("ExitEscrowNetworkTest: exited at L1 block " + exitedAt + ", out of the table from epoch "
                    + exitEpoch + "; withdrawal refused at the tables of epochs " + heldAt + ", paid against epoch "
                    + exitEpoch + "'s (witness index " + ready.witnessIndex() + ")");
        }
    }

    /**
     * The withdrawal against LightClient.sol's current table, which holds the exiter at index 0, reverts with
     * exactly that; the exit epoch's table, which does not hold it, is refused as not the light client's.
     */
    private static void assertStillHeld(L1Devnet l1, Credentials exiter, StakeTable byExiter, EpochAnswer current,
            Bytes32 onL1, dev.cortado.protocol.stake.StakeTable exitTable) {
        var table = current.toTable();
        assertReverts(l1, exiter, byExiter, byExiter.withdraw(LightClientCalldata.exitEscrowTable(table, table.size() - 1)),
                error("StakeTable__StillInLightClientTable(uint32,uint256)", u32(EXITER_ID), u(0)));
        assertReverts(l1, exiter, byExiter, byExiter.withdraw(LightClientCalldata.exitEscrowTable(exitTable,
                        exitTable.size() - 1)),
                error("StakeTable__NotLightClientTable(bytes32,bytes32)", b32(onL1.bytes()),
                        b32(exitTable.commitment().bytes())));
    }

    /** The withdrawal paid exactly the stake (the balance moved by it minus the gas), and there is nothing more. */
    private static void assertPaidOnce(L1Devnet l1, Credentials exiter, StakeTable byExiter, Plan.Ready ready,
            TransactionReceipt paid) {
        assertTrue(paid.isStatusOK(), paid.toString());
        BigInteger stakeWei = gwei(L1EpochsNetwork.STAKE);
        var events = StakeTable.getStakeWithdrawnEvents(paid);
        assertEquals(1, events.size());
        assertEquals(stakeWei, events.getFirst().amountWei);
        assertEquals(BigInteger.valueOf(EXITER_ID), events.getFirst().validatorId);
        long block = paid.getBlockNumber().longValueExact();
        BigInteger gasWei = paid.getGasUsed().multiply(Numeric.decodeQuantity(paid.getEffectiveGasPrice()));
        assertEquals(stakeWei.subtract(gasWei), balanceAt(l1, exiter, block).subtract(balanceAt(l1, exiter, block - 1)),
                "the exiter's balance moved by the stake minus the gas");
        assertReverts(l1, exiter, byExiter, byExiter.withdraw(ready.argument()),
                error("StakeTable__NothingToWithdraw(address)", addr(exiter.getAddress())));
    }

    private record Cli(int code, String out, String err) {
    }

    /**
     * {@code cortado withdraw-stake} as the exiter, against node 0's API; with {@code giveSchedule} false the command
     * learns the epoch length from the node's epoch 0 (the payment below depends on it being right).
     */
    private static Cli withdrawStake(L1EpochsNetwork net, Credentials who, boolean giveSchedule) {
        CommandLine cli = CortadoCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> args = new java.util.ArrayList<>(List.of("withdraw-stake", "--rpc", net.l1().rpcUrl(), "--stake-table",
                net.deployment().stakeTable().address(), "--node", net.apis().getFirst().toString(), "--key",
                Numeric.toHexStringWithPrefixZeroPadded(who.getEcKeyPair().getPrivateKey(), 64)));
        if (giveSchedule) {
            args.addAll(List.of("--epoch-blocks", Long.toString(SCHEDULE.epochBlocks()), "--snapshot-lead",
                    Long.toString(SCHEDULE.snapshotLeadBlocks())));
        }
        int code = cli.execute(args.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    private static long idOf(StakeTable contract, Bytes32 keyHash) {
        try {
            return contract.keyUsedBy(keyHash.bytes()).send().longValueExact();
        } catch (Exception e) {
            throw new IllegalStateException("keyUsedBy(" + keyHash + "): " + e.getMessage(), e);
        }
    }

    private static BigInteger balanceAt(L1Devnet l1, Credentials who, long block) {
        try {
            return l1.web3j().ethGetBalance(who.getAddress(), DefaultBlockParameter.valueOf(BigInteger.valueOf(block)))
                    .send().getBalance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
