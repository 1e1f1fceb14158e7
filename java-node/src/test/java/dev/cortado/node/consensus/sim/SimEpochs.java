package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The epochs of a {@link Scenario.Mix#BAD_HANDOVER} run: 2 to 4 blocks each (by seed), so a run crosses many
 * handovers. The table source stands in for the L1 stake table: one commitment per (seed, epoch), the same on
 * every replica. It feeds only the handover rule; the voting table itself does not change between epochs yet.
 */
final class SimEpochs {
    private SimEpochs() {
    }

    /** The {@link Scenario.Mix#BAD_HANDOVER} epochs: every epoch's table has the genesis stakes. */
    static Epochs forSeed(long seed, StakeWeights stakes) {
        return Epochs.of(schedule(seed), epoch -> Optional.of(new EpochTable(stakes, table(seed, epoch))));
    }

    /** {@code epoch}'s stakes under {@code config} (the genesis table for epoch 0). */
    static StakeWeights stakesOf(ConsensusConfig config, long epoch) {
        return epoch == 0 ? config.stakes() : config.epochs().tables().table(epoch).orElseThrow().weights();
    }

    static EpochSchedule schedule(long seed) {
        return new EpochSchedule(2 + Math.floorMod(seed, 3), 1);
    }

    static Bytes32 table(long seed, long epoch) {
        return Keccak.hash("sim/stake-table".getBytes(StandardCharsets.UTF_8), Abi.uint64Word(seed),
                Abi.uint64Word(epoch));
    }
}
