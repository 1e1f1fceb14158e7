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
 * every replica; every epoch's table has the genesis stakes. {@link #rotating} is the same schedule with tables that
 * change.
 */
final class SimEpochs {
    private SimEpochs() {
    }

    /** The epochs of a run of {@code mix}: none but for the two epoch mixes. */
    static Epochs forRun(Scenario.Mix mix, long seed, Cast cast) {
        return switch (mix) {
            case BAD_HANDOVER -> forSeed(seed, new StakeWeights(cast.stakesGwei()));
            case ROTATING_TABLES -> rotating(seed, cast.stakesGwei(), cast.behaviours());
            default -> Epochs.NONE;
        };
    }

    /** The {@link Scenario.Mix#BAD_HANDOVER} epochs: every epoch's table has the genesis stakes. */
    static Epochs forSeed(long seed, StakeWeights stakes) {
        return Epochs.of(schedule(seed), epoch -> Optional.of(EpochTable.everyMemberDa(stakes, table(seed, epoch))));
    }

    /** {@code epoch}'s stakes under {@code config} (the genesis table for epoch 0). */
    static StakeWeights stakesOf(ConsensusConfig config, long epoch) {
        return epoch == 0 ? config.stakes() : config.epochs().tables().table(epoch).orElseThrow().weights();
    }

    static EpochSchedule schedule(long seed) {
        return new EpochSchedule(2 + Math.floorMod(seed, 3), 1);
    }

    /**
     * The {@link Scenario.Mix#ROTATING_TABLES} epochs: epoch 0 votes with the genesis stakes; every later epoch's
     * table is drawn from (seed, epoch) alone, so every replica derives the same one. Each index of the universe is a
     * member with probability 3/4 (stake 1 to 4 units), so validators join and leave at random epochs; then faulty
     * members are dropped until the faulty stake is strictly under 1/3 of the epoch's stake, and an epoch without an
     * honest member gets one.
     */
    static Epochs rotating(long seed, long[] genesisStakesGwei, Behaviour[] behaviours) {
        return Epochs.of(schedule(seed), epoch -> Optional.of(rotatingTable(seed, epoch, genesisStakesGwei.length,
                behaviours)));
    }

    static EpochTable rotatingTable(long seed, long epoch, int n, Behaviour[] behaviours) {
        java.util.Random random = new java.util.Random(seed * 0x9E3779B97F4A7C15L ^ epoch * 0xC2B2AE3D27D4EB4FL);
        long[] stakes = new long[n];
        for (int i = 0; i < n; i++) {
            stakes[i] = random.nextInt(4) == 0 ? 0 : Cast.UNIT_GWEI * (1 + random.nextInt(4));
        }
        int firstHonest = -1;
        boolean honestMember = false;
        for (int i = 0; i < n; i++) {
            if (isHonest(behaviours[i])) {
                firstHonest = firstHonest < 0 ? i : firstHonest;
                honestMember |= stakes[i] > 0;
            }
        }
        if (!honestMember) {
            stakes[firstHonest] = Cast.UNIT_GWEI;
        }
        while (3 * faultyStake(stakes, behaviours) >= java.util.Arrays.stream(stakes).sum()) {
            int drop = random.nextInt(n);
            if (!isHonest(behaviours[drop])) {
                stakes[drop] = 0;
            }
        }
        byte[][] words = new byte[n + 3][];
        words[0] = "sim/rotating-stake-table".getBytes(StandardCharsets.UTF_8);
        words[1] = Abi.uint64Word(seed);
        words[2] = Abi.uint64Word(epoch);
        for (int i = 0; i < n; i++) {
            words[i + 3] = Abi.uint64Word(stakes[i]);
        }
        return EpochTable.everyMemberDa(StakeWeights.ofEpoch(stakes), Keccak.hash(words));
    }

    private static boolean isHonest(Behaviour b) {
        return b == Behaviour.HONEST || b == Behaviour.CRASH;
    }

    private static long faultyStake(long[] stakes, Behaviour[] behaviours) {
        long sum = 0;
        for (int i = 0; i < stakes.length; i++) {
            sum += isHonest(behaviours[i]) ? 0 : stakes[i];
        }
        return sum;
    }

    static Bytes32 table(long seed, long epoch) {
        return Keccak.hash("sim/stake-table".getBytes(StandardCharsets.UTF_8), Abi.uint64Word(seed),
                Abi.uint64Word(epoch));
    }
}
