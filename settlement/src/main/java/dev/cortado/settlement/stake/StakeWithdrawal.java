package dev.cortado.settlement.stake;

import dev.cortado.contracts.generated.StakeTable.CurrentTable;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.l1.ContractErrors;
import dev.cortado.settlement.lightclient.ContractRevert;
import dev.cortado.settlement.lightclient.LightClientCalldata;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Type;

/**
 * The argument of {@code StakeTable.withdraw}, built from a node's {@code GET /v0/epoch/{e}} answer for the epoch
 * whose table LightClient.sol holds. The answer is a node's word: it is checked against the light client's
 * commitment before anything is built, so a wrong or stale table is a {@link Plan.NotCurrentTable}, never a
 * transaction that reverts. Also decodes StakeTable.sol's revert data.
 */
public final class StakeWithdrawal {
    private StakeWithdrawal() {
    }

    /** What the light client's current table says about a withdrawal. */
    public sealed interface Plan {
        /** The table releases the stake: {@code argument} names the entry at {@code witnessIndex} as the witness. */
        record Ready(CurrentTable argument, int witnessIndex) implements Plan {
        }

        /** The table still holds the withdrawer at {@code index}: its stake secures the light client's certificates. */
        record StillHeld(int index) implements Plan {
        }

        /** The answered table is not the one LightClient.sol commits to (a wrong epoch, or a lying node). */
        record NotCurrentTable(Bytes32 lightClient, Bytes32 answered) implements Plan {
        }

        /**
         * No entry was registered after the withdrawer, so the table might predate its registration; the contract
         * waits for a table with a newer validator.
         */
        record NoLaterValidator(long newestId) implements Plan {
        }
    }

    /**
     * Plans a withdrawal from a node's epoch answer.
     *
     * @param answer the node's {@code GET /v0/epoch/{e}} answer (hostile: a malformed table is an
     *     {@link IllegalArgumentException})
     * @param lightClientTable LightClient.sol's {@code stakeTableCommitment()}
     * @param withdrawerId the withdrawer's validator id on StakeTable.sol
     * @param withdrawerKeyHash keccak256 of the withdrawer's EIP-2537 key, as StakeTable.sol stores it
     * @param idOfKey StakeTable.sol's {@code keyUsedBy}: the validator id that registered a key hash (0 if none)
     */
    public static Plan plan(EpochAnswer answer, Bytes32 lightClientTable, long withdrawerId, Bytes32 withdrawerKeyHash,
            ToLongFunction<Bytes32> idOfKey) {
        StakeTable table;
        try {
            table = answer.toTable();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("epoch " + answer.epoch() + "'s table is malformed: " + e.getMessage(), e);
        }
        return plan(table, lightClientTable, withdrawerId, withdrawerKeyHash, idOfKey);
    }

    /** As {@link #plan(EpochAnswer, Bytes32, long, Bytes32, ToLongFunction)} for a table already parsed. */
    public static Plan plan(StakeTable table, Bytes32 lightClientTable, long withdrawerId, Bytes32 withdrawerKeyHash,
            ToLongFunction<Bytes32> idOfKey) {
        Bytes32 answered = table.commitment();
        if (!answered.equals(lightClientTable)) return new Plan.NotCurrentTable(lightClientTable, answered);
        List<StakeEntry> entries = table.entries();
        for (int i = 0; i < entries.size(); i++) {
            if (keyHash(entries.get(i)).equals(withdrawerKeyHash)) return new Plan.StillHeld(i);
        }
        if (entries.isEmpty()) return new Plan.NoLaterValidator(0);
        // The table is StakeTable.sol's state at some block, ordered by registration, so its last entry is its
        // newest validator: one lookup decides whether any entry joined after the withdrawer.
        int last = entries.size() - 1;
        long newestId = idOfKey.applyAsLong(keyHash(entries.get(last)));
        if (newestId <= withdrawerId) return new Plan.NoLaterValidator(newestId);
        return new Plan.Ready(LightClientCalldata.exitEscrowTable(table, last), last);
    }

    private static Bytes32 keyHash(StakeEntry e) {
        return Keccak.hash(e.key().toEip2537());
    }

    /**
     * The epoch whose table LightClient.sol checks its next update against, given the height it last certified: a
     * handover state (the last block of an epoch) names the next epoch's table. That epoch's answer is the one to
     * plan from.
     */
    public static long tableEpoch(EpochSchedule schedule, long certifiedHeight) {
        long epoch = schedule.epochOf(certifiedHeight);
        return schedule.isLastOfEpoch(certifiedHeight) ? epoch + 1 : epoch;
    }

    // ---- revert decoding -------------------------------------------------------------------------

    /** Parameter names as declared in StakeTable.sol; the wrapper's ABI keeps only the types. */
    private static final Map<String, List<String>> PARAMETER_NAMES = Map.ofEntries(
            Map.entry("StakeTable__NotActive", List.of("account")),
            Map.entry("StakeTable__KeyMismatch", List.of("expected", "got")),
            Map.entry("StakeTable__NothingToWithdraw", List.of("account")),
            Map.entry("StakeTable__EscrowNotElapsed", List.of("withdrawableAt", "nowSeconds")),
            Map.entry("StakeTable__TransferFailed", List.of("to", "amountWei")),
            Map.entry("StakeTable__TableLengthMismatch", List.of("keys", "stakes", "daFlags")),
            Map.entry("StakeTable__NotLightClientTable", List.of("expected", "got")),
            Map.entry("StakeTable__StillInLightClientTable", List.of("validatorId", "index")),
            Map.entry("StakeTable__WitnessOutOfRange", List.of("index", "count")),
            Map.entry("StakeTable__NoLaterValidatorInTable", List.of("validatorId", "witnessId")));

    private static final Map<String, CustomError> ERRORS_BY_SELECTOR =
            ContractErrors.bySelector(dev.cortado.contracts.generated.StakeTable.class);

    /**
     * Decodes revert data ({@code 0x} hex) against StakeTable.sol's custom errors; data that matches none, or whose
     * arguments do not decode, is {@code unknown} with its raw bytes.
     */
    public static ContractRevert decodeRevert(String revertDataHex) {
        String data = revertDataHex == null ? "0x" : revertDataHex.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (!data.startsWith("0x")) data = "0x" + data;
        CustomError error = data.length() < 10 ? null : ERRORS_BY_SELECTOR.get(data.substring(0, 10));
        if (error == null) return new ContractRevert("unknown", List.of(), data);
        List<Type> values;
        try {
            values = FunctionReturnDecoder.decode("0x" + data.substring(10), error.getParameters());
        } catch (RuntimeException e) {
            return new ContractRevert("unknown", List.of(), data);
        }
        if (values.size() != error.getParameters().size()) return new ContractRevert("unknown", List.of(), data);
        List<String> names = PARAMETER_NAMES.getOrDefault(error.getName(), List.of());
        List<ContractRevert.Argument> args = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i).getValue();
            String rendered = v instanceof byte[] b ? dev.cortado.protocol.types.Hex.encode(b) : String.valueOf(v);
            args.add(new ContractRevert.Argument(i < names.size() ? names.get(i) : "arg" + i, rendered));
        }
        return new ContractRevert(error.getName(), args, data);
    }
}
