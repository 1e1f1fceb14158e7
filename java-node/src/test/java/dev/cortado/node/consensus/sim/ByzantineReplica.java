package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.CertificateValidator;
import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.ConsensusCore;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.Effect;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.LeaderSchedule;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.MessageValidator;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.RuleVariants;
import dev.cortado.node.consensus.SafetyState;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Drives one {@link Adversary}. An observer core (the same code the honest replicas run) follows views and
 * times out; its votes and proposals are dropped. Everything this replica sends is built and signed here on
 * the adversary's orders. Votes addressed to it are collected here, not by the observer, so the adversary
 * decides whether a QC it forms is ever revealed.
 */
final class ByzantineReplica implements Replica, Adversary.Context {
    private final Simulation sim;
    private final int index;
    private final Behaviour behaviour;
    private final Adversary adversary;
    private final ConsensusConfig config;
    private final ConsensusCrypto crypto;
    private final ConsensusSigner signer;
    private final RuleVariants.Variant variant;
    private final StakeWeights stakes;
    private final LeaderSchedule schedule;
    private final CertificateValidator certificates;
    private final MessageValidator validator;
    private final Coalition coalition;
    private final Leaf genesis;
    /** The QCs and TCs this replica forms for the coalition. */
    private final CoalitionCertificates forged;
    private ConsensusCore observer;
    private QuorumCertificate publicHighQc;

    ByzantineReplica(Simulation sim, int index, Behaviour behaviour, Adversary adversary, ConsensusConfig config,
            ConsensusCrypto crypto, ConsensusSigner signer, Leaf genesis, Coalition coalition,
            RuleVariants.Variant variant) {
        this.sim = sim;
        this.index = index;
        this.behaviour = behaviour;
        this.adversary = adversary;
        this.config = config;
        this.crypto = crypto;
        this.signer = signer;
        this.variant = variant;
        this.stakes = config.stakes();
        this.schedule = new LeaderSchedule(stakes);
        this.certificates = RuleVariants.certificates(variant, config.chainId(), stakes, crypto);
        this.validator = new MessageValidator(config.chainId(), stakes, schedule, certificates, crypto);
        this.coalition = coalition;
        this.genesis = genesis;
        this.publicHighQc = QuorumCertificate.genesis(config.chainId());
        this.forged = new CoalitionCertificates(index, config.chainId(), variant, stakes, crypto, certificates, signer,
                coalition);
        coalition.learnLeaf(genesis);
    }

    // ---------------------------------------------------------------- Replica

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
        return false;
    }

    @Override
    public View currentView() {
        return observer.currentView();
    }

    @Override
    public ConsensusCore core() {
        return observer;
    }

    @Override
    public void start() {
        observer = RuleVariants.core(variant, config, signer, crypto, SafetyState.initial(config.chainId()), genesis);
        feed(new Input.Start());
    }

    @Override
    public void tick() {
        adversary.onTick(this);
    }

    @Override
    public void deliver(int from, Payload payload) {
        switch (payload) {
            case Payload.LeafRequest r -> answer(from, r.commitment());
            // The observer only follows views: the share alone stands for the data.
            case Payload.Data d -> feed(new Input.DataAvailable(d.view(), d.blockCommitment()));
            case Payload.DaCert c -> {
            }
            case Payload.Sided s -> deliver(from, s.inner());
            case Payload.ToCore t -> {
                switch (t.input()) {
                    case Input.ProposalReceived p -> onProposal(from, p.proposal());
                    case Input.VoteReceived v -> onVote(from, v.vote());
                    case Input.TimeoutVoteReceived tv -> {
                        learnTimeoutVote(from, tv.vote());
                        feed(t.input());
                    }
                    case Input.LeavesReceived l -> {
                        l.leaves().forEach(coalition::learnLeaf);
                        feed(t.input());
                    }
                    default -> feed(t.input());
                }
            }
        }
    }

    private void onProposal(int from, Proposal p) {
        Bytes32 commitment = p.leaf().commitment();
        if (validator.proposalOrigin(from, p).isPresent() || validator.proposalSignature(p, commitment).isPresent()
                || validator.proposalBody(p).isPresent()) {
            return;
        }
        coalition.learnLeaf(p.leaf());
        coalition.learnQc(p.justifyQc(), false);
        seen(p.justifyQc(), from);
        p.viewChange().ifPresent(tc -> {
            coalition.learnTc(tc);
            seen(tc.highQc(), from);
        });
        feed(new Input.ProposalReceived(from, p));
        adversary.onProposal(this, p);
    }

    /** A QC an honest replica showed is public from now on. */
    private void seen(QuorumCertificate qc, int from) {
        if (sim.isByzantine(from)) {
            return;
        }
        coalition.published(qc);
        publicHighQc = publicHighQc.max(qc);
    }

    private void onVote(int from, QuorumVote vote) {
        if (from != vote.voter() || schedule.leader(vote.view().next()) != index || forged.formed(vote.view())
                || validator.voteSignature(vote).isPresent()) {
            return;
        }
        CoalitionCertificates.Formed q = forged.collect(vote);
        if (q != null) {
            adversary.onQuorum(this, q.qc(), q.votes());
        }
    }

    private void learnTimeoutVote(int from, TimeoutVote vote) {
        if (validator.timeoutVoteOrigin(from, vote).isPresent()
                || validator.timeoutVoteCertificates(vote, true).isPresent()
                || validator.timeoutVoteSignature(vote).isPresent()) {
            return;
        }
        coalition.learnQc(vote.highQc(), false);
        seen(vote.highQc(), from);
        vote.lastTc().ifPresent(coalition::learnTc);
        coalition.learnTimeoutVote(vote);
    }

    private void answer(int to, Bytes32 commitment) {
        List<Leaf> leaves = new ArrayList<>();
        Bytes32 cursor = commitment;
        while (leaves.size() < 32) {
            Leaf leaf = observer.knownLeaf(cursor);
            if (leaf == null) {
                leaf = coalition.leaf(cursor);
            }
            if (leaf == null || leaf.view().value() == 0) {
                break;
            }
            leaves.add(leaf);
            cursor = leaf.parentCommitment();
        }
        if (!leaves.isEmpty()) {
            sim.send(index, to, new Payload.ToCore(new Input.LeavesReceived(index, leaves)));
        }
    }

    private void feed(Input input) {
        for (Effect effect : observer.handle(input, sim.nowMs())) {
            switch (effect) {
                case Effect.ScheduleTimeout t -> sim.local(index, t.atMs(), new Input.Timeout(t.view()));
                case Effect.BroadcastTimeoutVote b -> adversary.onTimeout(this, b.vote().view());
                case Effect.BuildBlock b -> adversary.onLead(this, b.view());
                case Effect.FetchLeaves f -> sim.send(index, f.peer(), new Payload.LeafRequest(f.commitment()));
                case Effect.Decide d -> coalition.decided(d.leaves());
                default -> {
                    // The observer's own votes, proposals and persistence are not this replica's messages.
                }
            }
        }
    }

    // ---------------------------------------------------------------- Context

    @Override
    public int me() {
        return index;
    }

    @Override
    public int size() {
        return sim.size();
    }

    @Override
    public long nowMs() {
        return sim.nowMs();
    }

    @Override
    public Random random() {
        return sim.random();
    }

    @Override
    public int leaderOf(View view) {
        return schedule.leader(view);
    }

    @Override
    public boolean isHonest(int replica) {
        return !sim.isByzantine(replica);
    }

    @Override
    public long stakeGwei(int replica) {
        return stakes.stakeGwei(replica);
    }

    @Override
    public long totalStakeGwei() {
        return stakes.totalStakeGwei();
    }

    @Override
    public Coalition coalition() {
        return coalition;
    }

    @Override
    public QuorumCertificate publicHighQc() {
        return publicHighQc;
    }

    @Override
    public QuorumCertificate observedHighQc() {
        return observer.highQc();
    }

    @Override
    public Optional<TimeoutCertificate> tcFor(View view) {
        return forged.tcFor(view);
    }

    @Override
    public Optional<TimeoutCertificate> tcCarrying(View view, QuorumCertificate carry) {
        return forged.tcCarrying(view, carry);
    }

    @Override
    public Bytes32 block(View view, int variantNumber) {
        return Keccak.hash(Abi.uint64Word(view.value()), Abi.uint64Word(index), Abi.uint64Word(100 + variantNumber));
    }

    @Override
    public Proposal propose(Leaf leaf, QuorumCertificate justify, Optional<TimeoutCertificate> tc, IntPredicate to,
            IntPredicate dataTo) {
        Proposal p = new Proposal(leaf, justify, tc, index,
                signer.sign(certificates.quorumDigest(leaf.view(), leaf.commitment())));
        coalition.learnLeaf(leaf);
        feed(new Input.ProposalReceived(index, p));
        for (int r = 0; r < sim.size(); r++) {
            if (r == index) {
                continue;
            }
            if (to.test(r)) {
                sim.send(index, r, new Payload.ToCore(new Input.ProposalReceived(index, p)));
            }
            if (dataTo.test(r)) {
                sim.disperse(index, r, leaf);
            }
        }
        return p;
    }

    @Override
    public void vote(View view, Bytes32 leafCommitment) {
        QuorumVote vote = new QuorumVote(view, leafCommitment, index,
                signer.sign(certificates.quorumDigest(view, leafCommitment)));
        int leader = schedule.leader(view.next());
        if (leader == index) {
            onVote(index, vote);
        } else {
            sim.send(index, leader, new Payload.ToCore(new Input.VoteReceived(index, vote)));
        }
    }

    @Override
    public void timeoutVote(View view, QuorumCertificate highQc, int to) {
        if (!highQc.view().isBefore(view)) {
            return;
        }
        TimeoutVote vote = new TimeoutVote(view, highQc, tcFor(View.of(Math.max(0, view.value() - 1))), index,
                signer.sign(certificates.timeoutDigest(view, highQc.view())));
        if (to < 0) {
            coalition.learnTimeoutVote(vote);
        }
        for (int r = 0; r < sim.size(); r++) {
            if (r != index && (to < 0 || r == to)) {
                sim.send(index, r, new Payload.ToCore(new Input.TimeoutVoteReceived(index, vote)));
            }
        }
    }

    @Override
    public void reveal(List<QuorumVote> votes) {
        for (QuorumVote v : votes) {
            feed(new Input.VoteReceived(v.voter(), v));
        }
    }

    @Override
    public void sendRaw(int to, Payload payload) {
        sim.send(index, to, payload);
    }

    @Override
    public void later(long delayMs, Runnable action) {
        sim.callback(sim.nowMs() + delayMs, action);
    }
}
