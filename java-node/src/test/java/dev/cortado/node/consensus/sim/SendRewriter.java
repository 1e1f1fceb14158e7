package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.ConsensusCore;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.Signature;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The way out of a {@link SimNode}: the votes, timeout votes and proposals its core emits, sent as they are by an
 * honest replica or rewritten by one of the older fault kinds (withheld, corrupted, doubled, equivocated, forked off
 * a stale QC, a forged handover, future spam). Apart from the driver because it is the only part that looks at the
 * {@link Behaviour}; the driver's own duties (persistence, DA, catch-up) stay the same for every kind.
 */
final class SendRewriter {
    private final Simulation sim;
    private final int index;
    private final Behaviour behaviour;
    private final ConsensusConfig config;
    private final ConsensusSigner signer;
    private final long chainId;
    private final SimNode.Outbox outbox;
    /** The last few QCs this replica saw in proposals: what a STALE_QC leader forks from. */
    private final ArrayDeque<QuorumCertificate> recentQcs = new ArrayDeque<>();

    SendRewriter(Simulation sim, int index, Behaviour behaviour, ConsensusConfig config, ConsensusSigner signer,
            SimNode.Outbox outbox) {
        this.sim = sim;
        this.index = index;
        this.behaviour = behaviour;
        this.config = config;
        this.signer = signer;
        this.chainId = config.chainId();
        this.outbox = outbox;
    }

    void rememberQc(QuorumCertificate qc) {
        if (recentQcs.stream().noneMatch(q -> q.view().equals(qc.view()))) {
            recentQcs.addLast(qc);
            if (recentQcs.size() > 3) {
                recentQcs.removeFirst();
            }
        }
    }

    /** A made-up block commitment of this replica for {@code view}; {@code variant} tells its fakes apart. */
    Bytes32 blockCommitment(View view, int variant) {
        return Keccak.hash(Abi.uint64Word(view.value()), Abi.uint64Word(index), Abi.uint64Word(variant));
    }

    void vote(int to, QuorumVote vote) {
        switch (behaviour) {
            case WITHHOLD_VOTES -> {
            }
            case INVALID_SIGNATURES -> send(to, new QuorumVote(vote.view(), vote.leafCommitment(), index,
                    corrupt(vote.signature()), vote.epoch()));
            case DOUBLE_VOTE -> {
                send(to, vote);
                Bytes32 fake = blockCommitment(vote.view(), 7);
                send(to, new QuorumVote(vote.view(), fake, index, signer.sign(Digests.quorumVote(chainId, vote.epoch(),
                        vote.view(), fake)), vote.epoch()));
            }
            default -> send(to, vote);
        }
    }

    private void send(int to, QuorumVote vote) {
        outbox.send(to, new Payload.ToCore(new Input.VoteReceived(index, vote)));
    }

    void timeout(TimeoutVote vote) {
        switch (behaviour) {
            case WITHHOLD_VOTES -> {
            }
            case INVALID_SIGNATURES -> broadcastPayload(new Payload.ToCore(new Input.TimeoutVoteReceived(index,
                    new TimeoutVote(vote.view(), vote.highQc(), vote.lastTc(), index, corrupt(vote.signature()),
                            vote.epoch()))));
            default -> broadcastPayload(new Payload.ToCore(new Input.TimeoutVoteReceived(index, vote)));
        }
    }

    /** {@code core} is the replica's current core, whose leaves a stale fork may extend. */
    void proposal(Proposal p, ConsensusCore core) {
        switch (behaviour) {
            case SILENT_LEADER -> {
            }
            case INVALID_SIGNATURES -> broadcast(new Proposal(p.leaf(), p.justifyQc(), p.viewChange(), index,
                    corrupt(p.signature()), p.epoch()));
            case EQUIVOCATING_LEADER -> {
                Leaf l = p.leaf();
                Leaf other = new Leaf(chainId, l.view(), l.height(), l.parentCommitment(),
                        blockCommitment(l.view(), 1), l.justifyView());
                Proposal second = signed(other, p.justifyQc(), p.viewChange(), p.epoch());
                // Half get one proposal, half the other; every third replica gets both (and can prove it).
                for (int to = 0; to < sim.size(); to++) {
                    if (to != index) {
                        Proposal mine = to % 2 == 0 ? p : second;
                        sendProposal(to, mine);
                        if (to % 3 == 0) {
                            sendProposal(to, mine == p ? second : p);
                        }
                    }
                }
            }
            case STALE_QC -> {
                // Fork off below the high QC: extend an older certified leaf this replica still holds.
                QuorumCertificate old = null;
                Leaf oldLeaf = null;
                for (QuorumCertificate qc : recentQcs) {
                    Leaf known = core.knownLeaf(qc.leafCommitment());
                    if (known != null && qc.view().isBefore(p.justifyQc().view())) {
                        old = qc;
                        oldLeaf = known;
                        break;
                    }
                }
                if (old == null) {
                    broadcast(p);
                    return;
                }
                Leaf stale = new Leaf(chainId, p.leaf().view(), oldLeaf.height().next(), old.leafCommitment(),
                        blockCommitment(p.leaf().view(), 2), old.view());
                // Swap the TC's high QC for the stale one: the TC then fails its proof whenever a signer
                // named a newer QC; if none did, the stale justify is as new as the TC allows anyway.
                QuorumCertificate stalePick = old;
                broadcast(signed(stale, old, p.viewChange().map(tc -> new TimeoutCertificate(
                        tc.view(), stalePick, tc.parts(), tc.epoch())), p.epoch()));
            }
            case BAD_HANDOVER -> broadcast(signed(HandoverForger.forge(p.leaf(), config.epochs(), p.epoch(),
                    sim.random()), p.justifyQc(), p.viewChange(), p.epoch()));
            default -> broadcast(p);
        }
    }

    private Proposal signed(Leaf leaf, QuorumCertificate justify, Optional<TimeoutCertificate> tc, long epoch) {
        return new Proposal(leaf, justify, tc, index, signer.sign(Digests.quorumVote(chainId, epoch, leaf.view(),
                leaf.commitment())), epoch);
    }

    private void broadcast(Proposal p) {
        for (int to = 0; to < sim.size(); to++) {
            if (to != index) {
                sendProposal(to, p);
            }
        }
    }

    /** A proposal and, through the DA layer, the receiver's share and then the block's certificate. */
    private void sendProposal(int to, Proposal p) {
        outbox.send(to, new Payload.ToCore(new Input.ProposalReceived(index, p)));
        outbox.send(to, new Payload.Data(p.leaf().view(), p.leaf().blockCommitment()));
        outbox.send(to, SimDaCommittee.certificate(p.leaf()));
    }

    /** Handover proofs go out unchanged: no older fault kind rewrites them. */
    void broadcastPayload(Payload payload) {
        for (int to = 0; to < sim.size(); to++) {
            if (to != index) {
                outbox.send(to, payload);
            }
        }
    }

    private static Signature corrupt(Signature signature) {
        byte[] bytes = signature.bytes();
        bytes[bytes.length - 1] ^= 0x5A;
        return new Signature(bytes);
    }

    /** FUTURE_SPAM: validly signed votes and timeout votes for many views ahead, to everyone (a running replica). */
    void tick(ConsensusCore core) {
        if (behaviour != Behaviour.FUTURE_SPAM) {
            return;
        }
        long current = core.currentView().value();
        QuorumCertificate high = core.highQc();
        for (long v = current + 2; v < current + 60; v++) {
            View view = View.of(v);
            long epoch = core.epoch();
            TimeoutVote t = new TimeoutVote(view, high, Optional.empty(), index,
                    signer.sign(Digests.timeoutVote(chainId, epoch, view, high.view())), epoch);
            broadcastPayload(new Payload.ToCore(new Input.TimeoutVoteReceived(index, t)));
            Bytes32 fake = blockCommitment(view, 9);
            send(core.leaderOf(view.next()), new QuorumVote(view, fake, index,
                    signer.sign(Digests.quorumVote(chainId, epoch, view, fake)), epoch));
        }
    }
}
