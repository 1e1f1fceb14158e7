package dev.cortado.protocol.epoch;

import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;

/** The handover rules every replica and light client applies; pure functions of chain data. */
public final class EpochRules {
    private EpochRules() {
    }

    /**
     * The table of the next epoch, given StakeTable.sol's state at the snapshot block's {@code l1Head}. An
     * empty or unusable L1 table keeps the current one, so the network never halts on an L1 it cannot use.
     * A snapshot that is not yet seen or pruned is a caller error: the replica must wait or resync.
     */
    public static StakeTable nextTable(StakeTable current, TableSnapshot snapshot) {
        return switch (snapshot) {
            case TableSnapshot.Table t -> t.table();
            case TableSnapshot.NoValidators n -> current;
            case TableSnapshot.Unusable u -> current;
            case TableSnapshot.NotYetSeen n -> throw new IllegalStateException(
                    "the table at L1 block " + n.l1Block() + " is not known yet (followed to " + n.followedBlock() + ")");
            case TableSnapshot.Pruned p -> throw new IllegalStateException(
                    "the table at L1 block " + p.l1Block() + " was pruned (oldest kept " + p.oldestBlock() + ")");
        };
    }

    /**
     * The stake-table commitment the light-client state of {@code height} must carry: the table that
     * certifies the next update. Inside an epoch that is the epoch's own table; the epoch's last block
     * names the next epoch's table, and its certificate (by the current table) is the handover.
     */
    public static Bytes32 stateCommitment(EpochSchedule schedule, long height, StakeTable ownTable, StakeTable nextTable) {
        return schedule.isLastOfEpoch(height) ? nextTable.commitment() : ownTable.commitment();
    }
}
