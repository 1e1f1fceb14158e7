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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DA committee on the event thread (DESIGN.md decision 6), as the driver of the pipeline's pure
 * {@link DaLedger}. The leader sends the full block only to committee members and to every other node its
 * own VID share; members review the payload ({@link DaCommitteeMember}) and send DA votes to the leader, who
 * forms the DA certificate and broadcasts it. The gating rule: a node signals {@code DataAvailable} for a
 * block only when it holds a valid DA certificate for it AND its own share passed {@link ShareValidator}.
 *
 * <p>The state (which blocks are tracked per view, shares, certificates, the negative cache, held
 * certificates, one DA vote per view) and its bounds live in the ledger; this class does the crypto,
 * the network and the metrics around it.
 *
 * <p>With no committee at all in the stake table the certificate is not required (nobody could form it).
 */
final class DaGate {
    private static final Logger LOG = LoggerFactory.getLogger(DaGate.class);
    /** Entries for views this far below the current view are dropped; their decisions are long taken or lost. */
    static final long RETAIN_VIEWS = DaLedger.RETAIN_VIEWS;

    private final long chainId;
    private final int me;
    private final StakeTable table;
    private final int universeSize;
    private final DaPort port;
    private final Misbehaviour misbehaviour;
    private final ShareValidator validator;
    private final Optional<DaCommitteeMember> member;
    private final DaLedger ledger;
    final Counter certsFormed;
    final Counter certsAccepted;
    final Counter sharesAccepted;
    final Counter daVotesSent;

    DaGate(long chainId, int me, StakeTable table, BlsKeyPair keys, DaPort port, MeterRegistry registry,
            Misbehaviour misbehaviour) {
        this(chainId, me, table.size(), table, keys, port, registry, misbehaviour);
    }

    /**
     * @param universeSize the peers that receive a VID share (every configured peer); {@code table}, the genesis
     *        committee, covers the first {@code table.size()} of them (peers without stake come last)
     */
    DaGate(long chainId, int me, int universeSize, StakeTable table, BlsKeyPair keys, DaPort port, MeterRegistry registry,
            Misbehaviour misbehaviour) {
        if (universeSize < table.size()) {
            throw new IllegalArgumentException("the universe (" + universeSize + ") is smaller than the DA table ("
                    + table.size() + ")");
        }
        this.chainId = chainId;
        this.me = me;
        this.universeSize = universeSize;
        this.table = table;
        this.port = port;
        this.misbehaviour = misbehaviour;
        this.validator = new ShareValidator(universeSize);
        this.member = isMember(me) ? Optional.of(new DaCommitteeMember(chainId, table, keys)) : Optional.empty();
        boolean any = false;
        for (int i = 0; i < table.size(); i++) {
            any |= table.entry(i).daMember();
        }
        this.ledger = new DaLedger(table.size(), any, this::certProblem);
        this.certsFormed = Counter.builder("cortado_da_certs_formed_total")
                .description("DA certificates this node formed as leader").register(registry);
        this.certsAccepted = Counter.builder("cortado_da_certs_accepted_total")
                .description("valid DA certificates received").register(registry);
        this.sharesAccepted = Counter.builder("cortado_da_share_proposals_accepted_total")
                .description("proposals received as a VID share (outside the DA committee) whose share verified").register(registry);
        this.daVotesSent = Counter.builder("cortado_da_votes_total")
                .description("DA votes this committee member signed").register(registry);
    }

    /** The per-view DA state; the block pipeline holds it and prunes it as views pass. */
    DaLedger ledger() {
        return ledger;
    }

    boolean isMember() {
        return member.isPresent();
    }

    boolean isMember(int index) {
        return index >= 0 && index < table.size() && table.entry(index).daMember();
    }

    /** Blocks tracked now; bounded by the retained view window. */
    int trackedCount() {
        return ledger.trackedCount();
    }

    /** DA certificate aggregate verifications done so far (each a pairing check). */
    long certVerifications() {
        return ledger.certVerifications();
    }

    /** The core entered {@code view}: entries of views long past leave. */
    void viewIs(long view) {
        ledger.viewIs(view);
    }

    /** Tracks a screened block; a certificate held for it is verified on the way and counted like any other. */
    private Optional<DaLedger.Entry> track(Bytes32 commitment, BlockHeader header) {
        long accepted = ledger.certsAccepted();
        long refused = ledger.certsRefused();
        Optional<DaLedger.Entry> e = ledger.track(commitment, header);
        certsAccepted.increment(ledger.certsAccepted() - accepted);
        for (long i = refused; i < ledger.certsRefused(); i++) {
            misbehaviour.count(Misbehaviour.Kind.BAD_DA_CERT);
        }
        return e;
    }

    /** Leader: sends the block to the committee and each other node its share, and starts collecting DA votes. */
    void disperse(Proposal proposal, Blocks.Block b) {
        track(b.commitment(), b.header())
                .ifPresent(e -> e.collector = new DaCertificateCollector(chainId, table, b.header()));
        port.broadcastCommittee(new NodeMessage.ProposalMsg(proposal, b.data()));
        for (int i = 0; i < universeSize; i++) {
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
        if (track(b.commitment(), b.header()).isEmpty()) {
            LOG.info("node {}: not tracking the block of {}: outside the view window or its view is full", me,
                    b.header().view());
            return;
        }
        long view = b.header().view().value();
        if (member.isPresent() && ledger.takeDaVote(view)) {
            switch (member.get().review(b.header(), b.payload(), b.dispersal().commitment().vidRoot())) {
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
        // The share comes from this node's own encoding of the payload, whose root the check (or the build) matched
        // against the header's vidRoot, so re-verifying its Merkle path would only hash the share again.
        shareHeld(proposal.leaf(), b.header());
    }

    /** This node's share of the block of {@code leaf}; signals the core if the certificate is here too. */
    Optional<String> shareChecked(Leaf leaf, BlockHeader header, StoredShare own) {
        Optional<String> problem = validator.problem(header, me, own);
        if (problem.isPresent()) {
            return problem;
        }
        return shareHeld(leaf, header);
    }

    /** Records that this node holds a valid share of the block of {@code leaf}. */
    private Optional<String> shareHeld(Leaf leaf, BlockHeader header) {
        Optional<DaLedger.Entry> e = track(leaf.blockCommitment(), header);
        if (e.isEmpty()) {
            return Optional.of("block of " + header.view() + " is outside the view window or its view is full");
        }
        ledger.shareOk(e.get(), leaf);
        maybeSignal(e.get());
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
        Optional<DaLedger.Entry> found = ledger.collecting(vote.view().value());
        if (found.isEmpty()) {
            return;
        }
        DaLedger.Entry e = found.get();
        DaCertificateCollector.Result r = e.collector.add(vote);
        if (r instanceof DaCertificateCollector.Result.WrongProposal) {
            LOG.info("node {}: DA vote of {} for other commitments in {}", me, vote.signerIndex(), vote.view());
            return;
        }
        Optional<AggregateCertificate> cert = e.collector.certificate();
        if (cert.isPresent() && !e.certBroadcast) {
            e.certBroadcast = true;
            ledger.certFormed(e);
            certsFormed.increment();
            port.broadcastAll(new NodeMessage.DaCertMsg(e.commitment, cert.get().signers().toBytes(),
                    cert.get().signature().toBytes()));
            maybeSignal(e);
        }
    }

    void onDaCert(int from, NodeMessage.DaCertMsg m) {
        switch (ledger.onCert(from, m)) {
            // Not (yet) proposed to us: only the sender's latest waits, so a flood replaces itself.
            case DaLedger.CertOutcome.Held h -> misbehaviour.count(Misbehaviour.Kind.UNKNOWN_DA_CERT);
            case DaLedger.CertOutcome.Redundant r -> {
            }
            case DaLedger.CertOutcome.Refused r -> {
                LOG.info("node {}: DA certificate for {} from {} refused: {}", me, m.blockCommitment(), from, r.reason());
                misbehaviour.count(Misbehaviour.Kind.BAD_DA_CERT);
            }
            case DaLedger.CertOutcome.Accepted a -> {
                certsAccepted.increment();
                ledger.get(m.blockCommitment()).ifPresent(this::maybeSignal);
            }
        }
    }

    /** The ledger's certificate check: parse, then one aggregate verification against the tracked header. */
    private Optional<String> certProblem(BlockHeader header, NodeMessage.DaCertMsg m) {
        AggregateCertificate cert;
        try {
            cert = new AggregateCertificate(ThresholdKind.DA_COMMITTEE, DaCertificateCollector.digest(chainId, header),
                    SignerBitmap.fromBytes(m.signers(), table.size()), BlsSignature.fromBytes(m.signature()));
        } catch (IllegalArgumentException | NullPointerException ex) {
            return Optional.of("malformed: " + ex.getMessage());
        }
        Verdict v = DaCertificateCollector.verify(chainId, table, header, cert);
        return v.isValid() ? Optional.empty() : Optional.of(v.toString());
    }

    private void maybeSignal(DaLedger.Entry e) {
        if (!ledger.readyToSignal(e)) {
            return;
        }
        port.dataAvailable(e.header.view(), e.commitment);
        if (!isMember() && !port.hasBlock(e.commitment)) {
            // The payload is certified available: fetch it from one member so this node can keep and serve it.
            // Deciding and building need only the header and hashes this node already holds.
            port.fetchBlock(e.leaf, firstMemberFor(e.header.view().value()));
        }
    }

    private int firstMemberFor(long view) {
        int n = universeSize;
        for (int i = 0; i < n; i++) {
            int c = (int) ((view + i) % n);
            if (isMember(c) && c != me) {
                return c;
            }
        }
        return (me + 1) % n;
    }
}
