package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.market.SequencingRight;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.node.runtime.SimMarketGate;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One replica's side of the market simulation (one per incarnation, so a restart forgets its cache): it builds
 * the block when the replica leads, judges a proposed block before the replica's core may hear DataAvailable,
 * and records the namespace state of every block the replica decides. A {@link Behaviour#MARKET_LEADER} builds
 * a block that breaks a right (when the state lets it) and admits everything.
 */
final class MarketReplica {
    private final MarketSimulation world;
    private final int index;
    private final boolean honest;
    private final Function<Bytes32, Leaf> leaves;
    private final SimMarketGate gate;

    MarketReplica(MarketSimulation world, int index, boolean honest, Function<Bytes32, Leaf> leaves, SimMarketGate gate) {
        this.world = world;
        this.index = index;
        this.honest = honest;
        this.leaves = leaves;
        this.gate = gate;
    }

    /** Builds the block of {@code view} on {@code parent} at true time {@code nowMs}; returns its commitment. */
    Bytes32 build(View view, Leaf parent, long nowMs) {
        SimMarketGate.Block parentBlock = world.block(parent.blockCommitment());
        long parentTs = parentBlock == null ? 0 : parentBlock.header().timestampMs();
        long ts = Math.max(parentTs, Math.max(0, nowMs + world.skewMs(index)));
        Optional<SimMarketGate.BuildView> context = gate.context(parent.blockCommitment(), ts, MarketSimulation.L1_HEAD);
        List<PendingTx> txs = new ArrayList<>();
        MarketSimulation.Attack attack = null;
        if (context.isPresent()) {
            txs.addAll(SimMarketGate.select(context.get(), world.candidates(context.get())));
            if (!honest) {
                attack = world.nextAttack();
                if (!corrupt(attack, context.get(), txs)) {
                    attack = null; // nothing to break at this point of the window: an honest block
                }
            }
        }
        txs.add(pending(MarketSimulation.tx(MarketSimulation.NS_OPEN, "loose/" + index + "/" + view.value())));
        SimMarketGate.Block block = SimMarketGate.Block.assemble(parent.height().value() + 1, view.value(),
                parent.blockCommitment(), ts, MarketSimulation.L1_HEAD, txs);
        world.store(block, index, attack);
        return block.commitment();
    }

    private boolean corrupt(MarketSimulation.Attack attack, SimMarketGate.BuildView view, List<PendingTx> txs) {
        switch (attack) {
            case NON_WINNER -> {
                for (long ns : List.of(MarketSimulation.NS_A, MarketSimulation.NS_B)) {
                    if (view.rightOf(ns) instanceof SequencingRight.Restricted r && r.reason() == SequencingRight.Reason.SOLD) {
                        PendingTx foreign = pending(MarketSimulation.tx(ns, "stranger/" + txs.size() + "/" + view.slot()));
                        if (world.coinFlip()) {
                            txs.add(foreign); // loose, outside any bundle
                        } else {
                            SignedBundle b = MarketSimulation.signed(MarketSimulation.STRANGER, view.market().window(),
                                    view.slot(), List.of(ns), "stranger/" + view.slot());
                            addWhole(b, txs);
                        }
                        return true;
                    }
                }
                return false;
            }
            case SPLIT_BUNDLE -> {
                for (PendingTx t : txs) {
                    if (t.namespace() == BundleRecord.NAMESPACE) {
                        BundleRecord r = BundleRecord.decode(t.payload());
                        if (r.namespaces().size() >= 2) {
                            Bytes32 dropped = r.entries().getLast().txHash();
                            return txs.removeIf(p -> p.hash().equals(dropped));
                        }
                    }
                }
                return false;
            }
            case OLD_WINDOW_REPLAY -> {
                long w = view.market().window();
                if (w == 0 || !(view.rightOf(MarketSimulation.NS_A) instanceof SequencingRight.Restricted r)) {
                    return false;
                }
                // The holder's own bundle of the last window if it held rollups then, else a default sequencer's.
                boolean winnerThen = !MarketSimulation.window(w - 1).winners().isEmpty();
                var key = r.sequencer().equals(MarketSimulation.WINNER.address()) && winnerThen
                        ? MarketSimulation.WINNER : MarketSimulation.DEFAULT_A;
                SignedBundle old = world.bundle(key, w - 1, 0);
                addWhole(old, txs);
                return true;
            }
        }
        return false;
    }

    private static void addWhole(SignedBundle b, List<PendingTx> txs) {
        b.bundle().transactions().forEach(t -> txs.add(pending(t)));
        txs.add(PendingTx.of(BundleRecord.NAMESPACE, BundleRecord.of(b).encode()));
    }

    private static PendingTx pending(dev.cortado.protocol.block.Transaction t) {
        return PendingTx.of(t.namespace().value(), t.payload());
    }

    /**
     * Whether this replica's core may hear DataAvailable for {@code leaf}'s block: its content is held, its header
     * matches the leaf and its parent, and the node's market rule passes on it.
     */
    boolean admits(Leaf leaf) {
        if (!honest) {
            return true;
        }
        Bytes32 c = leaf.blockCommitment();
        SimMarketGate.Block block = world.block(c);
        Leaf parent = leaves.apply(leaf.parentCommitment());
        if (block == null || parent == null || block.header().height().value() != leaf.height().value()
                || block.header().view().value() != leaf.view().value()
                || !block.header().parent().equals(parent.blockCommitment())) {
            if (block != null && parent == null) {
                world.parentUnknown(); // the core fetches the parent; this replica's vote for the block is lost
            }
            return false; // no content, or not this leaf's: nothing any rule could accept
        }
        Optional<String> rejected = gate.judge(block);
        MarketSimulation.Attack attack = world.attackOf(c);
        if (rejected.isPresent() && attack != null) {
            world.rejected(attack);
            if (attack.reasons.stream().noneMatch(rejected.get()::contains)) {
                world.violation("market: replica " + index + " rejected a " + attack + " block for another cause: "
                        + rejected.get());
            }
        } else if (rejected.isPresent()) {
            world.violation("market: replica " + index + " rejected the block of view " + leaf.view().value()
                    + " that replica " + world.builderOf(c) + " built without an attack: " + rejected.get());
        } else if (attack != null) {
            world.violation("market: replica " + index + " admitted a " + attack + " block of view " + leaf.view().value());
        }
        return rejected.isEmpty();
    }

    /** This replica is about to vote for the leaf {@code leafCommitment}. */
    void voting(Bytes32 leafCommitment) {
        Leaf leaf = leaves.apply(leafCommitment);
        if (honest && leaf != null && world.attackOf(leaf.blockCommitment()) != null) {
            world.violation("market: replica " + index + " voted for a " + world.attackOf(leaf.blockCommitment())
                    + " block of view " + leaf.view().value());
        }
    }

    void decided(List<Leaf> decided) {
        if (!honest) {
            return;
        }
        for (Leaf leaf : decided) {
            SimMarketGate.Block block = world.block(leaf.blockCommitment());
            if (block == null) {
                world.violation("market: replica " + index + " decided height " + leaf.height().value()
                        + " whose block has no content");
                continue;
            }
            world.decided(index, block, gate.rightsAt(block).orElse(null));
        }
    }
}
