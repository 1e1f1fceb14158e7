package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.AggregateSignature;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.Signature;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Floods every honest replica, every 150 ms, with: proposals forged in the leader's name, proposals for
 * views it does not lead, an oversized proposal (height 2^40 and a TC of 64 junk parts), timeout votes
 * carrying a junk QC, and votes with junk signatures. Between floods it votes for the first proposal of
 * every view and leads honestly, so it is also counted on for quorums.
 */
final class Flooder implements Adversary {
    private View lastVoted = View.ZERO;

    @Override
    public void onProposal(Context c, Proposal proposal) {
        View view = proposal.leaf().view();
        if (view.isAfter(lastVoted)) {
            lastVoted = view;
            c.vote(view, proposal.leaf().commitment());
        }
    }

    @Override
    public void onTick(Context c) {
        Random random = c.random();
        View now = c.currentView();
        View next = now.next();
        QuorumCertificate high = c.publicHighQc();
        QuorumCertificate junkQc = new QuorumCertificate(now.value() > 1 ? View.of(now.value() - 1) : View.of(1),
                junk(random), new AggregateSignature(all(c.size()), bytes(random, 32)));
        for (int to = 0; to < c.size(); to++) {
            if (!c.isHonest(to)) {
                continue;
            }
            Leaf leaf = new Leaf(Simulation.CHAIN_ID, next, Height.of(1L << 40), high.leafCommitment(), junk(random),
                    high.view());
            // Forged in the next leader's name (relayed by this replica) and signed by nobody.
            send(c, to, new Proposal(leaf, high, Optional.empty(), c.leaderOf(next), new Signature(bytes(random, 32))));
            // Oversized: a far height and a TC of 64 junk parts, claimed as this replica's own.
            List<TimeoutCertificate.Part> parts = new ArrayList<>();
            for (int i = 0; i < 64 && i < now.value(); i++) {
                parts.add(new TimeoutCertificate.Part(View.of(i), new AggregateSignature(all(c.size()),
                        bytes(random, 32))));
            }
            if (!parts.isEmpty() && high.view().isBefore(now)) {
                TimeoutCertificate tc = new TimeoutCertificate(now, high, parts);
                send(c, to, new Proposal(leaf, high, Optional.of(tc), c.me(), new Signature(bytes(random, 32))));
            }
            c.sendRaw(to, new Payload.ToCore(new Input.TimeoutVoteReceived(c.me(), new TimeoutVote(next, junkQc,
                    Optional.empty(), c.me(), new Signature(bytes(random, 32))))));
            // DA certificates: one for a block nobody proposed (waits in this sender's slot, replacing the
            // last), one with a junk signature for the block the public high QC certifies (refused, then cached).
            c.sendRaw(to, new Payload.DaCert(next, junk(random), junk(random)));
            Leaf certified = c.coalition().leaf(high.leafCommitment());
            if (certified != null) {
                c.sendRaw(to, new Payload.DaCert(certified.view(), certified.blockCommitment(), junk(random)));
            }
        }
        c.sendRaw(c.leaderOf(next), new Payload.ToCore(new Input.VoteReceived(c.me(),
                new QuorumVote(now, junk(random), c.me(), new Signature(bytes(random, 32))))));
    }

    private static void send(Context c, int to, Proposal p) {
        c.sendRaw(to, new Payload.ToCore(new Input.ProposalReceived(c.me(), p)));
    }

    private static BitSet all(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }

    private static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static Bytes32 junk(Random random) {
        return new Bytes32(bytes(random, 32));
    }
}
