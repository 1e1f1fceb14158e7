package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.da.DaCertificateCollector;
import dev.cortado.node.da.DaCommitteeMember;
import dev.cortado.node.da.DaReview;
import dev.cortado.node.da.DaVote;
import dev.cortado.node.da.ShareValidator;
import dev.cortado.node.da.StoredShare;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DA committee on the event thread (DESIGN.md decision 6). The leader sends the full block only
 * to committee members and to every other node its own VID share; members review the payload
 * ({@link DaCommitteeMember}) and send DA votes to the leader, who forms the DA certificate and
 * broadcasts it. The gating rule: a node signals {@code DataAvailable} for a block only when it holds
 * a valid DA certificate for it AND its own share passed {@link ShareValidator}.
 *
 * <p>Hostile peers: a tracked entry exists only for a block whose proposal passed the cheap checks
 * (leader, signature, view window), so nobody but a view's leader creates state, and entries leave by
 * view, never by arrival order. A certificate for an unknown block waits in its sender's single slot;
 * a sender whose certificate failed for a block is not verified again for that block.
 *
 * <p>With no committee at all in the stake table the certificate is not required (nobody could form it).
 */
final class DaGate {
    private static final Logger LOG = LoggerFactory.getLogger(DaGate.class);
    /** Entries for views this far below the current view are dropped; their decisions are long taken or lost. */
    static final long RETAIN_VIEWS = 64;

    /** What this node knows of one proposed block, by header commitment. */
    private static final class Tracked {
        final BlockHeader header;
        Leaf leaf;
        boolean shareOk;
        AggregateCertificate cert;
        DaCertificateCollector collector;
        boolean certBroadcast;
        boolean signalled;
        /** Senders whose certificate for this block failed verification (negative cache). */
        final BitSet refused = new BitSet();

        Tracked(BlockHeader header) {
            this.header = header;
        }
    }

    private final long chainId;
    private final int me;
    private final StakeTable table;
    private final DaPort port;
    private final Misbehaviour misbehaviour;
    private final ShareValidator validator;
    private final Optional<DaCommitteeMember> member;
    private final boolean committeeExists;
    private final Map<Bytes32, Tracked> entries = new HashMap<>();
    /** At most one certificate per sender waits for its block: bounded by the table, not by what is sent. */
    private final NodeMessage.DaCertMsg[] heldCerts;
    /** Views this member signed a DA vote in: one vote per view, whatever a leader proposes. */
    private final Set<Long> votedViews = new HashSet<>();
    private long currentView;
    private long certVerifications;
    final Counter certsFormed;
    final Counter certsAccepted;
    final Counter sharesAccepted;
    final Counter daVotesSent;

    DaGate(long chainId, int me, StakeTable table, BlsKeyPair keys, DaPort port, MeterRegistry registry,
            Misbehaviour misbehaviour) {
        this.chainId = chainId;
        this.me = me;
        this.table = table;
        this.port = port;
        this.misbehaviour = misbehaviour;
        this.validator = new ShareValidator(table.size());
        this.member = table.entry(me).daMember() ? Optional.of(new DaCommitteeMember(chainId, table, keys)) : Optional.empty();
        boolean any = false;
        for (int i = 0; i < table.size(); i++) {
            any |= table.entry(i).daMember();
        }
        this.committeeExists = any;
        this.heldCerts = new NodeMessage.DaCertMsg[table.size()];
        this.certsFormed = Counter.builder("cortado_da_certs_formed_total")
                .description("DA certificates this node formed as leader").register(registry);
        this.certsAccepted = Counter.builder("cortado_da_certs_accepted_total")
                .description("valid DA certificates received").register(registry);
        this.sharesAccepted = Counter.builder("cortado_da_share_proposals_accepted_total")
                .description("proposals received as a VID share (outside the DA committee) whose share verified").register(registry);
        this.daVotesSent = Counter.builder("cortado_da_votes_total")
                .description("DA votes this committee member signed").register(registry);
    }

    boolean isMember() {
        return member.isPresent();
    }

    boolean isMember(int index) {
        return table.entry(index).daMember();
    }

    /** Blocks tracked now; bounded by the retained view window. */
    int trackedCount() {
        return entries.size();
    }

    /** DA certificate aggregate verifications done so far (each a pairing check). */
    long certVerifications() {
        return certVerifications;
    }

    /** The core entered {@code view}: entries of views long past leave. */
    void viewIs(long view) {
        if (view <= currentView) {
            return;
        }
        currentView = view;
        entries.values().removeIf(e -> e.header.view().value() < currentView - RETAIN_VIEWS);
        votedViews.removeIf(v -> v < currentView - RETAIN_VIEWS);
    }

    /** Only called for a proposal that passed the cheap checks, so its leader vouches for the header. */
    private Tracked entry(Bytes32 commitment, BlockHeader header) {
        Tracked e = entries.get(commitment);
        if (e == null) {
            e = new Tracked(header);
            entries.put(commitment, e);
            for (int i = 0; i < heldCerts.length; i++) {
                NodeMessage.DaCertMsg held = heldCerts[i];
                if (held != null && held.blockCommitment().equals(commitment)) {
                    heldCerts[i] = null;
                    verifyCert(i, commitment, e, held);
                }
            }
        }
        return e;
    }

    /** Leader: sends the block to the committee and each other node its share, and starts collecting DA votes. */
    void disperse(Proposal proposal, Blocks.Block b) {
        Tracked e = entry(b.commitment(), b.header());
        e.collector = new DaCertificateCollector(chainId, table, b.header());
        port.broadcastCommittee(new NodeMessage.ProposalMsg(proposal, b.data()));
        for (int i = 0; i < table.size(); i++) {
            if (i != me && !isMember(i)) {
                // The hashes let a node outside the committee check, build on and decide the block without its payload.
                port.send(i, new NodeMessage.ShareProposalMsg(proposal, b.data().header(), b.data().nsTable(), b.share(i).encode(),
                        b.txCounts(), b.txHashes(), b.bundleRecordBytes()));
            }
        }
        blockChecked(proposal, b);
    }

    /**
     * The full block of {@code proposal} arrived and passed every check (a member's vote is only for
     * a block it could vote for). Members review it and vote; everyone's own share comes from it.
     */
    void blockChecked(Proposal proposal, Blocks.Block b) {
        entry(b.commitment(), b.header());
        long view = b.header().view().value();
        if (member.isPresent() && view >= currentView - RETAIN_VIEWS && votedViews.add(view)) {
            switch (member.get().review(b.header(), b.data().nsTable(), b.data().payload())) {
                case DaReview.Approved a -> {
                    daVotesSent.increment();
                    if (proposal.proposer() == me) {
                        countVote(a.vote());
                    } else {
                        port.send(proposal.proposer(), new NodeMessage.DaVoteMsg(a.vote().encode()));
                    }
                }
                case DaReview.Rejected r -> LOG.warn("node {}: no DA vote for {}: {}", me, b.header().view(), r.reason());
            }
        }
        shareChecked(proposal.leaf(), b.header(), b.share(me));
    }

    /** This node's share of the block of {@code leaf}; signals the core if the certificate is here too. */
    Optional<String> shareChecked(Leaf leaf, BlockHeader header, StoredShare own) {
        Optional<String> problem = validator.problem(header, me, own);
        if (problem.isPresent()) {
            return problem;
        }
        Bytes32 commitment = leaf.blockCommitment();
        Tracked e = entry(commitment, header);
        e.leaf = leaf;
        e.shareOk = true;
        maybeSignal(commitment, e);
        return Optional.empty();
    }

    void onDaVote(int from, NodeMessage.DaVoteMsg m) {
        DaVote vote;
        try {
            vote = DaVote.decode(m.vote());
        } catch (IllegalArgumentException e) {
            LOG.info("node {}: malformed DA vote from {}: {}", me, from, e.getMessage());
            misbehaviour.count(Misbehaviour.Kind.BAD_DA_VOTE);
            return;
        }
        if (vote.signerIndex() != from) {
            LOG.info("node {}: DA vote from {} claims signer {}", me, from, vote.signerIndex());
            misbehaviour.count(Misbehaviour.Kind.BAD_DA_VOTE);
            return;
        }
        countVote(vote);
    }

    private void countVote(DaVote vote) {
        for (Map.Entry<Bytes32, Tracked> me : entries.entrySet()) {
            Tracked e = me.getValue();
            if (e.collector == null || !e.header.view().equals(vote.view())) {
                continue;
            }
            DaCertificateCollector.Result r = e.collector.add(vote);
            if (r instanceof DaCertificateCollector.Result.WrongProposal) {
                LOG.info("node {}: DA vote of {} for other commitments in {}", this.me, vote.signerIndex(), vote.view());
                return;
            }
            Optional<AggregateCertificate> cert = e.collector.certificate();
            if (cert.isPresent() && !e.certBroadcast) {
                e.certBroadcast = true;
                e.cert = cert.get();
                certsFormed.increment();
                port.broadcastAll(new NodeMessage.DaCertMsg(me.getKey(), cert.get().signers().toBytes(),
                        cert.get().signature().toBytes()));
                maybeSignal(me.getKey(), e);
            }
            return;
        }
    }

    void onDaCert(int from, NodeMessage.DaCertMsg m) {
        Tracked e = entries.get(m.blockCommitment());
        if (e == null) {
            // Not (yet) proposed to us: hold only the sender's latest, so a flood replaces itself.
            heldCerts[from] = m;
            misbehaviour.count(Misbehaviour.Kind.UNKNOWN_DA_CERT);
            return;
        }
        verifyCert(from, m.blockCommitment(), e, m);
        maybeSignal(m.blockCommitment(), e);
    }

    private void verifyCert(int from, Bytes32 commitment, Tracked e, NodeMessage.DaCertMsg m) {
        if (e.cert != null || e.refused.get(from)) {
            return;
        }
        AggregateCertificate cert;
        try {
            cert = new AggregateCertificate(ThresholdKind.DA_COMMITTEE, DaCertificateCollector.digest(chainId, e.header),
                    SignerBitmap.fromBytes(m.signers(), table.size()),
                    BlsSignature.fromBytes(m.signature()));
        } catch (IllegalArgumentException | NullPointerException ex) {
            LOG.info("node {}: malformed DA certificate for {} from {}: {}", me, commitment, from, ex.getMessage());
            e.refused.set(from);
            misbehaviour.count(Misbehaviour.Kind.BAD_DA_CERT);
            return;
        }
        certVerifications++;
        Verdict v = DaCertificateCollector.verify(chainId, table, e.header, cert);
        if (!v.isValid()) {
            LOG.info("node {}: DA certificate for {} from {} refused: {}", me, e.header.view(), from, v);
            e.refused.set(from);
            misbehaviour.count(Misbehaviour.Kind.BAD_DA_CERT);
            return;
        }
        certsAccepted.increment();
        e.cert = cert;
    }

    private void maybeSignal(Bytes32 commitment, Tracked e) {
        if (e.signalled || !e.shareOk || (e.cert == null && committeeExists)) {
            return;
        }
        e.signalled = true;
        port.dataAvailable(e.header.view(), commitment);
        if (!isMember() && !port.hasBlock(commitment)) {
            // The payload is certified available: fetch it from one member so this node can keep and serve it.
            // Deciding and building need only the header and hashes this node already holds.
            port.fetchBlock(e.leaf, firstMemberFor(e.header.view().value()));
        }
    }

    private int firstMemberFor(long view) {
        int n = table.size();
        for (int i = 0; i < n; i++) {
            int c = (int) ((view + i) % n);
            if (isMember(c) && c != me) {
                return c;
            }
        }
        return (me + 1) % n;
    }
}
