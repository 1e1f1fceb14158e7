package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.ConsensusCore;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.Effect;
import dev.cortado.node.consensus.Evidence;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.LeaderSchedule;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.MessageValidator;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.RuleVariants;
import dev.cortado.node.consensus.SafetyState;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.consensus.Verdict;
import dev.cortado.node.runtime.SimDaPipeline;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The simulated driver of one replica: carries out the core's effects over the simulated network, persists
 * the safety state and the decided chain (what survives a crash), answers leaf requests, and, for the older
 * fault kinds, misbehaves by rewriting what its honest core emits ({@link SendRewriter}). Its clock runs at
 * {@code clockRate} against real (virtual) time from {@code clockOffsetMs}: the core sees only local time, so
 * timers drift.
 */
final class SimNode implements Replica {
    /** Where this replica's messages and local events go (a split brain routes each face to its side). */
    interface Outbox {
        void send(int to, Payload payload);

        void local(long atMs, Input input);

        /** A payload to this replica itself at local-event time {@code atMs} (its own DA certificate). */
        void later(long atMs, Payload payload);
    }

    private static final int MAX_LEAVES_PER_RESPONSE = 32;

    private final Simulation sim;
    private final int index;
    private final Behaviour behaviour;
    private final ConsensusConfig config;
    private final ConsensusCrypto crypto;
    private final ConsensusSigner signer;
    private final long chainId;
    private final RuleVariants.Variant variant;
    private final Outbox outbox;
    private final double clockRate;
    private final long clockOffsetMs;

    // What a real node persists.
    private SafetyState persistedSafety;
    // The decided tip survives a crash; the newest 4096 decided leaves answer catch-up requests (a store
    // bounded like a real node's recent-leaf cache, so runs past height 100,000 stay small).
    private Leaf decidedTip;
    private final Map<Bytes32, Leaf> decidedByCommitment = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, Leaf> eldest) {
            return size() > 4_096;
        }
    };

    private ConsensusCore core;
    /** The node's real DA state machine (block pipeline): it decides when the core hears DataAvailable. */
    private SimDaPipeline da;
    /** In a market run, this replica's builder and judge of real block content; null otherwise. */
    private MarketReplica market;
    /** The cheap proposal checks a node runs before its pipeline tracks a block (leader, signature), per epoch. */
    private final Map<Long, MessageValidator> screens = new java.util.HashMap<>();
    /** Sends this replica's core emits, as they leave it: unchanged, or rewritten by an older fault kind. */
    private final SendRewriter sends;
    private boolean up = true;
    private int incarnation;

    SimNode(Simulation sim, int index, Behaviour behaviour, ConsensusConfig config, ConsensusCrypto crypto,
            ConsensusSigner signer, Leaf genesis, RuleVariants.Variant variant, Outbox outbox, double clockRate,
            long clockOffsetMs) {
        this.sim = sim;
        this.variant = variant;
        this.outbox = outbox != null ? outbox : new DirectOutbox(sim, index);
        this.clockRate = clockRate;
        this.clockOffsetMs = clockOffsetMs;
        this.index = index;
        this.behaviour = behaviour;
        this.config = config;
        this.crypto = crypto;
        this.signer = signer;
        this.chainId = config.chainId();
        this.persistedSafety = SafetyState.initial(chainId);
        decidedTip = genesis;
        decidedByCommitment.put(genesis.commitment(), genesis);
        this.sends = new SendRewriter(sim, index, behaviour, config, signer, this.outbox);
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public String label() {
        return behaviour.name();
    }

    @Override
    public boolean isHonest() {
        return behaviour == Behaviour.HONEST || behaviour == Behaviour.CRASH;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public int incarnation() {
        return incarnation;
    }


    @Override
    public ConsensusCore core() {
        return core;
    }

    @Override
    public void start() {
        core = RuleVariants.core(variant, config, signer, crypto, persistedSafety, decidedTip);
        da = new SimDaPipeline(sim.size(), SimDaCommittee::valid);
        market = sim.market() == null ? null : sim.market().replica(index, isHonest(),
                c -> core.knownLeaf(c) != null ? core.knownLeaf(c) : decidedByCommitment.get(c));
        handle(new Input.Start());
    }

    /** This replica's local clock. */
    private long localNowMs() {
        return clockOffsetMs + (long) (sim.nowMs() * clockRate);
    }

    /** The real time at which the local clock reads {@code localMs}. */
    private long realTimeOf(long localMs) {
        return sim.nowMs() + (long) Math.ceil(Math.max(0, localMs - localNowMs()) / clockRate);
    }

    void crash() {
        up = false;
        incarnation++;
        core = null;
        da = null;
    }

    void restart() {
        up = true;
        incarnation++;
        start();
    }

    @Override
    public void deliver(int from, Payload payload) {
        switch (payload) {
            case Payload.LeafRequest r -> answer(from, r.commitment());
            case Payload.Sided s -> deliver(from, s.inner());
            // The DA layer goes through the pipeline: the core hears DataAvailable once this replica's share
            // and a valid DA certificate are both there, for a block whose proposal passed the screen.
            case Payload.Data d -> {
                if (da.share(from, d.blockCommitment()) && admits(da.leafOf(d.blockCommitment()))) {
                    handle(new Input.DataAvailable(d.view(), d.blockCommitment()));
                }
            }
            case Payload.DaCert c -> {
                if (da.certificate(from, c.blockCommitment(), c.signature().bytes())
                        && admits(da.leafOf(c.blockCommitment()))) {
                    handle(new Input.DataAvailable(c.view(), c.blockCommitment()));
                }
            }
            case Payload.ToCore t -> {
                handle(t.input());
                if (t.input() instanceof Input.ProposalReceived p && core != null) {
                    sends.rememberQc(p.proposal().justifyQc());
                    screened(from, p.proposal());
                }
            }
        }
    }

    private MessageValidator screen(long epoch) {
        if (screens.size() > 8) {
            screens.clear();
        }
        return screens.computeIfAbsent(epoch, e -> {
            StakeWeights stakes = SimEpochs.stakesOf(config, e);
            return new MessageValidator(chainId, e, stakes, new LeaderSchedule(stakes),
                    RuleVariants.certificates(variant, chainId, stakes, crypto), crypto);
        });
    }

    private void screened(int from, Proposal p) {
        Bytes32 commitment = p.leaf().commitment();
        if (p.epoch() > core.epoch() + 1) {
            return;
        }
        MessageValidator screen = screen(p.epoch());
        if (screen.proposalOrigin(from, p).isEmpty() && screen.proposalSignature(p, commitment).isEmpty()
                && da.proposed(from, p.leaf()) && admits(p.leaf())) {
            handle(new Input.DataAvailable(p.leaf().view(), p.leaf().blockCommitment()));
        }
    }

    /** The pipeline's last word before DataAvailable: in a market run, the block must keep the rights. */
    private boolean admits(Leaf leaf) {
        return market == null || leaf != null && market.admits(leaf);
    }

    private void answer(int to, Bytes32 commitment) {
        List<Leaf> leaves = new ArrayList<>();
        Bytes32 cursor = commitment;
        while (leaves.size() < MAX_LEAVES_PER_RESPONSE) {
            Leaf leaf = core.knownLeaf(cursor);
            if (leaf == null) {
                leaf = decidedByCommitment.get(cursor);
            }
            if (leaf == null || leaf.view().value() == 0) {
                break;
            }
            leaves.add(leaf);
            cursor = leaf.parentCommitment();
        }
        if (!leaves.isEmpty()) {
            outbox.send(to, new Payload.ToCore(new Input.LeavesReceived(index, leaves)));
        }
    }

    private void handle(Input input) {
        if (input instanceof Input.DataAvailable d && isHonest()) {
            sim.dataAvailable(index, d.blockCommitment());
        }
        List<Effect> effects = core.handle(input, localNowMs());
        List<Input> local = new ArrayList<>();
        for (Effect effect : effects) {
            apply(effect, local);
        }
        for (Input next : local) {
            handle(next);
        }
    }

    private void apply(Effect effect, List<Input> local) {
        switch (effect) {
            case Effect.PersistSafety p -> persistedSafety = p.state();
            case Effect.SendVote s -> {
                if (persistedSafety.highestVotedView().isBefore(s.vote().view())) {
                    sim.fail("replica " + index + " sent a vote for " + s.vote().view() + " before persisting it");
                }
                if (market != null) {
                    market.voting(s.vote().leafCommitment());
                }
                sends.vote(s.to(), s.vote());
            }
            case Effect.BroadcastTimeoutVote b -> {
                if (persistedSafety.highestVotedView().isBefore(b.vote().view())) {
                    sim.fail("replica " + index + " sent a timeout vote for " + b.vote().view() + " unpersisted");
                }
                sends.timeout(b.vote());
            }
            case Effect.BroadcastProposal b -> {
                if (persistedSafety.highestVotedView().isBefore(b.proposal().leaf().view())) {
                    sim.fail("replica " + index + " proposed in " + b.proposal().leaf().view() + " unpersisted");
                }
                sends.proposal(b.proposal(), core);
                // The leader holds its own share; its certificate forms after the committee's round trip.
                Leaf leaf = b.proposal().leaf();
                da.proposed(index, leaf);
                da.share(index, leaf.blockCommitment());
                outbox.later(sim.nowMs() + sim.daDelayMs(), SimDaCommittee.certificate(leaf));
            }
            case Effect.ScheduleTimeout t -> outbox.local(realTimeOf(t.atMs()), new Input.Timeout(t.view()));
            case Effect.BuildBlock b -> {
                if (behaviour != Behaviour.SILENT_LEADER) {
                    outbox.local(sim.nowMs() + 1, new Input.BlockBuilt(b.view(), market != null
                            ? market.build(b.view(), b.parent(), sim.nowMs()) : sends.blockCommitment(b.view(), 0)));
                }
            }
            case Effect.FetchLeaves f -> outbox.send(f.peer(), new Payload.LeafRequest(f.commitment()));
            case Effect.Decide d -> {
                for (Leaf leaf : d.leaves()) {
                    decidedTip = leaf;
                    decidedByCommitment.put(leaf.commitment(), leaf);
                }
                sim.decided(index, d.leaves(), d.commitQc());
                if (market != null) {
                    market.decided(d.leaves());
                }
            }
            case Effect.BroadcastHandoverProof h -> {
                sim.handoverProofSent();
                sends.broadcastPayload(new Payload.ToCore(new Input.HandoverProofReceived(index, h.proof())));
            }
            case Effect.SendHandoverProof h -> outbox.send(h.to(),
                    new Payload.ToCore(new Input.HandoverProofReceived(index, h.proof())));
            case Effect.FetchHandoverProof f -> outbox.send(f.peer(),
                    new Payload.ToCore(new Input.HandoverProofRequested(index, f.epoch())));
            case Effect.ReportEquivocation r -> checkEvidence(r.evidence());
            case Effect.EnteredView e -> da.viewIs(e.view().value());
            case Effect.LogVerdict v -> {
                sim.verdict(v.verdict(), v.input());
                if (v.verdict() instanceof Verdict.Reject reject && v.from() != index && !sim.isByzantine(v.from())
                        && isHonest()) {
                    sim.fail("replica " + index + " rejected a " + v.input() + " of honest " + v.from() + " in "
                            + v.view() + ": " + reject.reason());
                }
            }
        }
    }

    private void checkEvidence(Evidence evidence) {
        sim.evidence();
        if (!sim.isByzantine(evidence.offender())) {
            sim.fail("replica " + index + " holds equivocation evidence against honest " + evidence.offender());
        }
    }

    /** FUTURE_SPAM: validly signed votes and timeout votes for many views ahead, to everyone. */
    @Override
    public void tick() {
        if (up) {
            sends.tick(core);
        }
    }
}
