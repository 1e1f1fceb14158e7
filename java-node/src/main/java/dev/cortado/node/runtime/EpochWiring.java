package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.l1.DecidedL1Heads;
import dev.cortado.node.l1.L1EpochTables;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.stake.StakeTable;
import java.util.List;

/** Turns a node's {@link NodeEpochs} into what it runs, once its store is open. */
final class EpochWiring {
    private EpochWiring() {}

    /** What the node runs: the core's epochs and the certificates' tables, and whether tables arrive from L1. */
    record Resolved(Epochs consensus, EpochStakeTables lightClient, boolean fromL1) {
    }

    /**
     * @param genesis the protocol table of epoch 0 (the staked peers, in peer order)
     * @param universe every configured peer's key in index order, staked or not
     */
    static Resolved resolve(NodeEpochs epochs, StakeTable genesis, List<BlsPublicKey> universe, NodeStore store) {
        return switch (epochs) {
            case NodeEpochs.None n -> new Resolved(Epochs.NONE, EpochStakeTables.single(genesis), false);
            case NodeEpochs.Fixed f -> new Resolved(f.consensus(),
                    f.lightClient().orElse(EpochStakeTables.single(genesis)), false);
            case NodeEpochs.FromL1 l1 -> {
                L1EpochTables tables = new L1EpochTables(l1.schedule(), genesis, universe, DecidedL1Heads.of(store),
                        l1.snapshots(), L1EpochTables.DEFAULT_RETAIN_EPOCHS, store.epochTables());
                yield new Resolved(Epochs.of(l1.schedule(), tables),
                        EpochStakeTables.of(l1.schedule(), genesis, tables::protocolTable), true);
            }
        };
    }
}
