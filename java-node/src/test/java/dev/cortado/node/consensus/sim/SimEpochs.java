package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Epochs;
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

    static Epochs forSeed(long seed) {
        return Epochs.of(new EpochSchedule(2 + Math.floorMod(seed, 3), 1), epoch -> Optional.of(table(seed, epoch)));
    }

    static Bytes32 table(long seed, long epoch) {
        return Keccak.hash("sim/stake-table".getBytes(StandardCharsets.UTF_8), Abi.uint64Word(seed),
                Abi.uint64Word(epoch));
    }
}
