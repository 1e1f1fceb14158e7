package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.da.DaCertificateCollector;
import dev.cortado.node.da.DaCommittee;
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
import dev.cortado.protocol.types.Height;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DA committee on the event thread (DESIGN.md decision 6), as the driver of the pipeline's pure
 * {@link DaLedger}. The leader sends the full block only to peers configured with {@code da} and to every other
 * node its own VID share, at its position among the share holders of the block's epoch ({@link VidSlots}), or
 * {@link NodeMessage.ShareProposalMsg#NO_SHARE} to a node that holds none there; the members of the committee of the
 * block's epoch ({@link DaCommittees}) review the
 * payload ({@link DaCommitteeMember}) and send DA votes to the leader, who forms the DA certificate (bitmap over
 * the universe, threshold over that committee's stake) and broadcasts it. A certificate for a block whose epoch's
 * table is not known yet waits in its sender's slot until it is. The gating rule: a node signals {@code DataAvailable} for a
 * block only when it holds a valid DA certificate for it AND, if it holds a share in the block's epoch, that share
 * passed {@link ShareValidator} at its position; a node without a share there (no stake in the epoch's table) has
 * nothing of its own to check, so the certificate alone lets it signal.
 *
 * <p>The state (which blocks are tracked per view, shares, certificates, the negative cache, held
 * certificates, one DA vote per view) and its bounds live in the ledger; this class does the crypto,
 * the network and the metrics around it.
 *
 * <p>With no {@code da} peer configured, or none holding stake in the block's epoch, the certificate is not
 * required (nobody could form it).
 */
final class DaGate {
    private static final Logger LOG = LoggerFactory.getLogger(DaGate.class);
    /** Entries for views this far below the current view are dropped; their decisions are long taken or lost. */
    static final long RETAIN_VIEWS = DaLedger.RETAIN_VIEWS;

    private final long chainId;
    private final int me;
    private final DaCommittees committees;
    private final VidSlots slots;
    private final int universeSize;
    private final DaPort port;
    private final Misbehaviour misbehaviour;
    private final ShareValidator validator;
    /** Present for a peer configured with {@code da = true}; it votes only in the epochs whose committee holds it. */
    private final Optional<DaCommitteeMember> member;
    private final DaLedger ledger;
    private final RecentDaCerts recent = new RecentDaCerts();
    final Counter certsFormed;
    final Counter certsAccepted;
    final Counter sharesAccepted;
    final Counter daVotesSent;

    /** One table for the life of the network, whose positions are the peer indices (tests of the gate alone). */
    DaGate(long chainId, int me, StakeTable table, BlsKeyPair keys, DaPort port, MeterRegistry registry,
            Misbehaviour misbehaviour) {
        this(chainId, me, DaCommittees.single(table), VidSlots.single(table.size()), keys, port, registry, misbehaviour);
    }

    /**
     * @param committees each epoch's committee over the universe
     * @param slots each epoch's VID share holders over the same universe (the same table source)
     */
    DaGate(long chainId, int me, DaCommittees committees, VidSlots slots, BlsKeyPair keys, DaPort port,
            MeterRegistry registry, Misbehaviour misbehaviour) {
        this.chainId = chainId;
        this.me = me;
        this.committees = committees;
        this.slots = slots;
        this.universeSize = committees.universeSize();
        if (slots.universeSize() != universeSize) {
            throw new IllegalArgumentException("share holders over " + slots.universeSize() + " peers, committees over "
                    + universeSize);
        }
        this.port = port;
        this.misbehaviour = misbehaviour;
        this.validator = new ShareValidator();
        this.member = committees.daConfigured(me)
                ? Optional.of(new DaCommitteeMember(chainId, me, keys, universeSize)) : Optional.empty();
        boolean anyConfigured = false;
        for (int i = 0; i < universeSize; i++) {
            anyConfigured |= committees.daConfigured(i);
        }
        this.ledger = new DaLedger(universeSize, anyConfigured, new DaLedger.CertCheck() {
            @Override
            public Optional<String> problem(BlockHeader header, NodeMessage.DaCertMsg cert) {
                return certProblem(header, cert);
            }

            @Override
            public boolean canCheck(BlockHeader header) {
                return committees.forHeight(header.height()).isPresent();
            }

            @Override
            public boolean required(BlockHeader header) {
                return committees.forHeight(header.height()).map(c -> !c.isEmpty()).orElse(true);
            }
        });
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

    /** On the DA committee that certifies the block at {@code height}; false while that epoch's table is unknown. */
    boolean isMember(int index, Height height) {
        return committees.forHeight(height).map(c -> c.isMember(index)).orElse(false);
    }

    /** The newest certificates this node formed or accepted, by height (for operators and tests). */
    RecentDaCerts recentCertificates() {
        return recent;
    }

    /** Blocks tracked now; bounded by the retained view window. */
    int trackedCount() {
        return ledger.trackedCount();
    }

    /** DA certificate aggregate verifications done so far (each a pairing check). */
    long certVerifications() {
        return ledger.certVerifications();
    }

    /**
     * The core entered {@code view}: entries of views long past leave, and certificates that waited for their
     * epoch's table are verified if it is known now (a table becomes known as the chain decides, so views pass).
     */
    void viewIs(long view) {
        ledger.viewIs(view);
        retryWaiting();
    }

    /** Certificates and signals that waited for an epoch's table: done now if the table is known. */
    void retryWaiting() {
        long refused = ledger.certsRefused();
        for (DaLedger.Entry e : ledger.retryHeld()) {
            certsAccepted.increment();
            maybeSignal(e);
        }
        for (long i = refused; i < ledger.certsRefused(); i++) {
            misbehaviour.count(Misbehaviour.Kind.BAD_DA_CERT);
        }
        ledger.unsignalled().forEach(this::maybeSignal);
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

    /**
     * Leader: sends the full block to every peer configured with {@code da} (the committee of any epoch is among
     * them; one outside the block's epoch's committee checks the full block and does not vote) and each other peer
     * its share at its position in the block's epoch, or no share if it holds none there, and starts collecting DA
     * votes.
     */
    void disperse(Proposal proposal, Blocks.Block b) {
        track(b.commitment(), b.header()).ifPresent(e -> e.leading = true);
        port.broadcastCommittee(new NodeMessage.ProposalMsg(proposal, b.data()));
        for (int i = 0; i < universeSize; i++) {
            if (i != me && !committees.daConfigured(i)) {
                // The hashes let a node outside the committee check, build on and decide the block without its payload.
                byte[] share = b.shareOf(i).map(StoredShare::encode).orElse(NodeMessage.ShareProposalMsg.NO_SHARE);
                port.send(i, new NodeMessage.ShareProposalMsg(proposal, b.data().header(), b.data().nsTable(), share,
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
        // Only a member of the committee of the block's own epoch votes; while that table is unknown, nobody does.
        if (member.isPresent() && isMember(me, b.header().height()) && ledger.takeDaVote(view)) {
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
        // The share comes from this node's own encoding of the payload over the share holders of the block's epoch,
        // whose root the check (or the build) matched against the header's vidRoot, so re-verifying its Merkle path
        // would only hash the share again; a node without a share in that epoch has none to check.
        shareHeld(proposal.leaf(), b.header());
    }

    /**
     * This node's share of the block of {@code leaf} (empty: the proposal said it holds none), checked at this node's
     * position among the share holders of the block's epoch; signals the core if the certificate is here too. A node
     * that holds no share in that epoch has nothing to check (the gating rule's share condition is vacuous for it).
     */
    Optional<String> shareChecked(Leaf leaf, BlockHeader header, Optional<StoredShare> own) {
        Optional<VidSlots.Assignment> a = slots.forHeight(header.height());
        if (a.isEmpty()) {
            return Optional.of("the table of epoch " + slots.epochOf(header.height()) + " is not known here yet: the"
                    + " share of height " + header.height().value() + " cannot be checked");
        }
        Optional<String> presence = a.get().presenceProblem(me, own.isPresent());
        if (presence.isPresent()) {
            return Optional.of("share proposal carries " + presence.get());
        }
        if (own.isPresent()) {
            int position = a.get().positionOf(me).getAsInt();
            Optional<String> problem = validator.problem(header, a.get().shareCount(), position, own.get());
            if (problem.isPresent()) {
                return Optional.of("epoch " + a.get().epoch() + ": " + problem.get());
            }
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
        if (e.collector == null) {
            Optional<DaCommittee> c = committees.forHeight(e.header.height());
            if (c.isEmpty() || c.get().isEmpty()) {
                LOG.info("node {}: DA vote of {} in {} dropped: the committee of epoch {} is {}", me, vote.signerIndex(),
                        vote.view(), committees.epochOf(e.header.height()), c.isEmpty() ? "not known yet" : "empty");
                return;
            }
            e.collector = new DaCertificateCollector(chainId, c.get(), e.header);
        }
        DaCertificateCollector.Result r = e.collector.add(vote);
        if (r instanceof DaCertificateCollector.Result.WrongProposal) {
            LOG.info("node {}: DA vote of {} for other commitments in {}", me, vote.signerIndex(), vote.view());
            return;
        }
        if (r instanceof DaCertificateCollector.Result.NotMember) {
            LOG.info("node {}: DA vote of {} in {}: not on the DA committee of epoch {}", me, vote.signerIndex(),
                    vote.view(), committees.epochOf(e.header.height()));
            misbehaviour.count(Misbehaviour.Kind.BAD_DA_VOTE);
            return;
        }
        Optional<AggregateCertificate> cert = e.collector.certificate();
        if (cert.isPresent() && !e.certBroadcast) {
            e.certBroadcast = true;
            ledger.certFormed(e);
            certsFormed.increment();
            recent.add(e.header.height().value(), cert.get().signers());
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
            case DaLedger.CertOutcome.Waiting w -> LOG.debug("node {}: DA certificate for {} from {} waits for the table"
                    + " of its epoch", me, m.blockCommitment(), from);
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

    /**
     * The ledger's certificate check: parse, refuse a signer outside the committee of the block's epoch, then one
     * aggregate verification against the tracked header. Called only once that committee is known.
     */
    private Optional<String> certProblem(BlockHeader header, NodeMessage.DaCertMsg m) {
        DaCommittee committee = committees.forHeight(header.height()).orElseThrow();
        AggregateCertificate cert;
        try {
            cert = new AggregateCertificate(ThresholdKind.DA_COMMITTEE, DaCertificateCollector.digest(chainId, header),
                    SignerBitmap.fromBytes(m.signers(), universeSize), BlsSignature.fromBytes(m.signature()));
        } catch (IllegalArgumentException | NullPointerException ex) {
            return Optional.of("malformed: " + ex.getMessage());
        }
        Verdict v = DaCertificateCollector.verify(chainId, committee, header, cert);
        if (v.isValid()) {
            recent.add(header.height().value(), cert.signers());
            return Optional.empty();
        }
        return Optional.of(v.toString());
    }

    private void maybeSignal(DaLedger.Entry e) {
        if (!ledger.readyToSignal(e)) {
            return;
        }
        port.dataAvailable(e.header.view(), e.commitment);
        if (!port.hasBlock(e.commitment)) {
            // The payload is certified available: fetch it from one member so this node can keep and serve it.
            // Deciding and building need only the header and hashes this node already holds.
            port.fetchBlock(e.leaf, memberFor(e.header));
        }
    }

    /** A peer holding the full block: a member of its epoch's committee, else any peer the leader sent it to. */
    private int memberFor(BlockHeader header) {
        long view = header.view().value();
        Optional<DaCommittee> c = committees.forHeight(header.height());
        int n = universeSize;
        for (int i = 0; i < n; i++) {
            int p = (int) ((view + i) % n);
            if (p != me && c.map(x -> x.isMember(p)).orElse(false)) {
                return p;
            }
        }
        for (int i = 0; i < n; i++) {
            int p = (int) ((view + i) % n);
            if (p != me && committees.daConfigured(p)) {
                return p;
            }
        }
        return (me + 1) % n;
    }
}
