package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.ConsensusCore;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.RuleVariants;

/**
 * Two-faced: while the honest replicas are partitioned into two sides, each holding 1/3 of the stake, this
 * replica (with the rest of the coalition, exactly 1/3 in all) shows each side its own face: a separate
 * core, signing with the same key, that talks only to that side and to the same face of its fellow split
 * brains. A side plus the coalition holds exactly 2/3: never a quorum under the correct rules, a quorum on
 * both sides at once if certificates accepted exactly 2/3. After the heal only face A remains and talks to
 * everyone, so the network can make progress again.
 */
final class SplitBrainReplica implements Replica {
    private final Simulation sim;
    private final int index;
    private final boolean[] sideB;
    private final SimNode faceA;
    private final SimNode faceB;
    private boolean healed;

    /** @param sideB per replica, whether an honest replica is on side B */
    SplitBrainReplica(Simulation sim, int index, boolean[] sideB, ConsensusConfig config, ConsensusCrypto crypto,
            ConsensusSigner signer, Leaf genesis, RuleVariants.Variant variant) {
        this.sim = sim;
        this.index = index;
        this.sideB = sideB.clone();
        this.faceA = new SimNode(sim, index, Behaviour.SPLIT_BRAIN, config, crypto, signer, genesis, variant,
                outbox(false), 1.0, 0);
        this.faceB = new SimNode(sim, index, Behaviour.SPLIT_BRAIN, config, crypto, signer, genesis, variant,
                outbox(true), 1.0, 0);
    }

    private SimNode.Outbox outbox(boolean b) {
        return new SimNode.Outbox() {
            @Override
            public void send(int to, Payload payload) {
                if (healed ? b : !reaches(to, b)) {
                    return;
                }
                sim.send(index, to, sim.isSplitBrain(to) ? new Payload.Sided(b, payload) : payload);
            }

            @Override
            public void local(long atMs, Input input) {
                later(atMs, new Payload.ToCore(input));
            }

            @Override
            public void later(long atMs, Payload payload) {
                if (!(healed && b)) {
                    sim.local(index, atMs, new Payload.Sided(b, payload));
                }
            }
        };
    }

    private boolean reaches(int to, boolean b) {
        return sim.isSplitBrain(to) || sideB[to] == b;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public String label() {
        return Behaviour.SPLIT_BRAIN.name();
    }

    @Override
    public boolean isHonest() {
        return false;
    }




    @Override
    public ConsensusCore core() {
        return faceA.core();
    }

    @Override
    public void start() {
        faceA.start();
        faceB.start();
    }

    @Override
    public void deliver(int from, Payload payload) {
        if (payload instanceof Payload.Sided s) {
            if (!(healed && s.sideB())) {
                (s.sideB() ? faceB : faceA).deliver(from, s.inner());
            }
            return;
        }
        (!healed && !sim.isSplitBrain(from) && sideB[from] ? faceB : faceA).deliver(from, payload);
    }

    @Override
    public void healed() {
        healed = true;
    }
}
