package dev.cortado.node.runtime;

import dev.cortado.node.cdn.Topic;
import dev.cortado.node.consensus.Input;
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
import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import io.micrometer.core.instrument.Counter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DA committee on the event thread (DESIGN.md decision 6). The leader sends the full block only
 * to committee members and to every other node its own VID share; members review the payload
 * ({@link DaCommitteeMember}) and send DA votes to the leader, who forms the DA certificate and
 * broadcasts it. The gating rule: a node signals {@link Input.DataAvailable} for a block only when
 * it holds a valid DA certificate for it AND its own share passed {@link ShareValidator}.
 *
 * <p>With no committee at all in the stake table the certificate is not required (nobody could form it).
 */
final class DaGate {
    private static final Logger LOG = LoggerFactory.getLogger(DaGate.class);
    /** Blocks tracked at once; older entries are views long past. */
    private static final int MAX_ENTRIES = 256;

    /** What this node knows of one proposed block, by header commitment. */
    private static final class Tracked {
        BlockHeader header;
        Leaf leaf;
        boolean shareOk;
        AggregateCertificate cert;
        NodeMessage.DaCertMsg unverifiedCert;
        DaCertificateCollector collector;
        boolean certBroadcast;
        boolean signalled;
        boolean voted;
    }

    private final CortadoNode node;
    private final StakeTable table;
    private final ShareValidator validator;
    private final Optional<DaCommitteeMember> member;
    private final boolean committeeExists;
    private final Map<Bytes32, Tracked> entries = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, Tracked> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    final Counter certsFormed;
    final Counter certsAccepted;
    final Counter sharesAccepted;
    final Counter daVotesSent;

    DaGate(CortadoNode node, StakeTable table) {
        this.node = node;
        this.table = table;
        this.validator = new ShareValidator(table.size());
        this.member = table.entry(node.me).daMember()
                ? Optional.of(new DaCommitteeMember(node.settings.chainId(), table, node.settings.keys()))
                : Optional.empty();
        boolean any = false;
        for (int i = 0; i < table.size(); i++) {
            any |= table.entry(i).daMember();
        }
        this.committeeExists = any;
        this.certsFormed = Counter.builder("cortado_da_certs_formed_total")
                .description("DA certificates this node formed as leader").register(node.registry);
        this.certsAccepted = Counter.builder("cortado_da_certs_accepted_total")
                .description("valid DA certificates received").register(node.registry);
        this.sharesAccepted = Counter.builder("cortado_da_share_proposals_accepted_total")
                .description("proposals received as a VID share (outside the DA committee) whose share verified").register(node.registry);
        this.daVotesSent = Counter.builder("cortado_da_votes_total")
                .description("DA votes this committee member signed").register(node.registry);
    }

    boolean isMember() {
        return member.isPresent();
    }

    boolean isMember(int index) {
        return table.entry(index).daMember();
    }

    private Tracked entry(Bytes32 commitment) {
        return entries.computeIfAbsent(commitment, c -> new Tracked());
    }

    /** Leader: sends the block to the committee and each other node its share, and starts collecting DA votes. */
    void disperse(Proposal proposal, Blocks.Block b) {
        Tracked e = entry(b.commitment());
        e.header = b.header();
        e.collector = new DaCertificateCollector(node.settings.chainId(), table, b.header());
        node.network().broadcast(Topic.DA_COMMITTEE, node.codec.encode(new NodeMessage.ProposalMsg(proposal, b.data())));
        for (int i = 0; i < table.size(); i++) {
            if (i != node.me && !isMember(i)) {
                node.network().send(node.peerKeys.get(i), node.codec.encode(new NodeMessage.ShareProposalMsg(proposal,
                        b.data().header(), b.data().nsTable(), b.share(i).encode())));
            }
        }
        blockChecked(proposal, b);
    }

    /**
     * The full block of {@code proposal} arrived and passed every check (a member's vote is only for
     * a block it could vote for). Members review it and vote; everyone's own share comes from it.
     */
    void blockChecked(Proposal proposal, Blocks.Block b) {
        Tracked e = entry(b.commitment());
        e.header = b.header();
        if (member.isPresent() && !e.voted) {
            e.voted = true;
            switch (member.get().review(b.header(), b.data().nsTable(), b.data().payload())) {
                case DaReview.Approved a -> {
                    daVotesSent.increment();
                    if (proposal.proposer() == node.me) {
                        countVote(a.vote());
                    } else {
                        node.network().send(node.peerKeys.get(proposal.proposer()), node.codec.encode(new NodeMessage.DaVoteMsg(a.vote().encode())));
                    }
                }
                case DaReview.Rejected r -> LOG.warn("node {}: no DA vote for {}: {}", node.me, b.header().view(), r.reason());
            }
        }
        shareChecked(proposal.leaf(), b.header(), b.share(node.me));
    }

    /** This node's share of the block with {@code commitment}; signals the core if the certificate is here too. */
    Optional<String> shareChecked(Leaf leaf, BlockHeader header, StoredShare own) {
        Optional<String> problem = validator.problem(header, node.me, own);
        if (problem.isPresent()) {
            return problem;
        }
        Bytes32 commitment = leaf.blockCommitment();
        Tracked e = entry(commitment);
        e.header = header;
        e.leaf = leaf;
        e.shareOk = true;
        verifyPendingCert(commitment, e);
        maybeSignal(commitment, e);
        return Optional.empty();
    }

    void onDaVote(int from, NodeMessage.DaVoteMsg m) {
        DaVote vote;
        try {
            vote = DaVote.decode(m.vote());
        } catch (IllegalArgumentException e) {
            LOG.info("node {}: malformed DA vote from {}: {}", node.me, from, e.getMessage());
            return;
        }
        if (vote.signerIndex() != from) {
            LOG.info("node {}: DA vote from {} claims signer {}", node.me, from, vote.signerIndex());
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
                LOG.info("node {}: DA vote of {} for other commitments in {}", node.me, vote.signerIndex(), vote.view());
                return;
            }
            Optional<AggregateCertificate> cert = e.collector.certificate();
            if (cert.isPresent() && !e.certBroadcast) {
                e.certBroadcast = true;
                e.cert = cert.get();
                certsFormed.increment();
                node.network().broadcast(Topic.ALL, node.codec.encode(new NodeMessage.DaCertMsg(me.getKey(),
                        cert.get().signers().toBytes(), cert.get().signature().toBytes())));
                maybeSignal(me.getKey(), e);
            }
            return;
        }
    }

    void onDaCert(int from, NodeMessage.DaCertMsg m) {
        Tracked e = entry(m.blockCommitment());
        if (e.cert != null) {
            return;
        }
        e.unverifiedCert = m;
        verifyPendingCert(m.blockCommitment(), e);
        maybeSignal(m.blockCommitment(), e);
    }

    /** A certificate that came before its header is checked once the header is known. */
    private void verifyPendingCert(Bytes32 commitment, Tracked e) {
        if (e.cert != null || e.unverifiedCert == null || e.header == null) {
            return;
        }
        NodeMessage.DaCertMsg m = e.unverifiedCert;
        e.unverifiedCert = null;
        AggregateCertificate cert;
        try {
            cert = new AggregateCertificate(ThresholdKind.DA_COMMITTEE, Digests.daVote(node.settings.chainId(),
                    e.header.view(), e.header.payloadRoot(), e.header.vidRoot()), SignerBitmap.fromBytes(m.signers(), table.size()),
                    BlsSignature.fromBytes(m.signature()));
        } catch (IllegalArgumentException | NullPointerException ex) {
            LOG.info("node {}: malformed DA certificate for {}: {}", node.me, commitment, ex.getMessage());
            return;
        }
        Verdict v = DaCertificateCollector.verify(node.settings.chainId(), table, e.header, cert);
        if (!v.isValid()) {
            LOG.info("node {}: DA certificate for {} refused: {}", node.me, e.header.view(), v);
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
        node.enqueueLocal(new Input.DataAvailable(e.header.view(), commitment));
        if (!isMember() && !node.pendingBlocks.containsKey(commitment)) {
            // The payload is certified available: fetch it now from one member, so the block is here to
            // decide, to build on, and to serve.
            node.fetchBlockFrom(e.leaf, firstMemberFor(e.header.view().value()));
        }
    }

    private int firstMemberFor(long view) {
        int n = table.size();
        for (int i = 0; i < n; i++) {
            int c = (int) ((view + i) % n);
            if (isMember(c) && c != node.me) {
                return c;
            }
        }
        return (node.me + 1) % n;
    }
}
