package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.node.cdn.CdnCodec;
import dev.cortado.node.consensus.AggregateSignature;
import dev.cortado.node.consensus.HandoverProof;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.Signature;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.node.net.WireFormatException;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The node and CDN message decoders, fed junk and mutated valid messages, fail only with their own error. */
class NodeCodecPropertyTest {
    private final NodeCodec codec = new NodeCodec(new NodeCodec.Limits(4096, 64, 256));

    @Property(tries = 3000)
    void junkNeverEscapesAsAnotherException(@ForAll @Size(max = 700) byte[] junk) {
        decodeOrWireError(junk);
        try {
            CdnCodec.decode(junk);
        } catch (WireFormatException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 2000)
    void mutatedMessagesNeverEscape(@ForAll("messages") NodeMessage m, @ForAll @IntRange(min = 0, max = 2000) int at,
            @ForAll byte value, @ForAll @IntRange(min = -4, max = 4) int lengthDelta) {
        byte[] bytes = codec.encode(m);
        byte[] mutated = java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length + lengthDelta));
        if (mutated.length > 0) {
            mutated[at % mutated.length] = value;
        }
        decodeOrWireError(mutated);
    }

    @Property(tries = 500)
    void roundTrip(@ForAll("messages") NodeMessage m) {
        byte[] bytes = codec.encode(m);
        assertArrayEquals(bytes, codec.encode(codec.decode(bytes)));
    }

    @Property(tries = 300)
    void epochCarryingMessagesRoundTripByValue(@ForAll("epochMessages") NodeMessage m) {
        assertEquals(consensusPart(m), consensusPart(codec.decode(codec.encode(m))));
    }

    /** The consensus records a message carries (value equality; a block's byte arrays compare by identity). */
    private static Object consensusPart(NodeMessage m) {
        return switch (m) {
            case NodeMessage.ProposalMsg p -> p.proposal();
            case NodeMessage.BlocksReply r -> List.of(r.blocks().stream().map(NodeMessage.DecidedBlockData::leaf).toList(),
                    r.proof());
            default -> m;
        };
    }

    @Property(tries = 200)
    void everyTruncationIsRefused(@ForAll("epochMessages") NodeMessage m) {
        byte[] bytes = codec.encode(m);
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, len);
            assertThrows(WireFormatException.class, () -> codec.decode(cut), "a prefix of " + len + " bytes");
        }
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(WireFormatException.class, () -> codec.decode(longer), "one trailing byte");
    }

    @Property(tries = 100)
    void handoverProofLeafCountIsBounded(@ForAll @IntRange(min = 0, max = 3) int extra) {
        NodeCodec tight = new NodeCodec(new NodeCodec.Limits(4096, 64, 2));
        Leaf leaf = Leaf.genesis(7);
        QuorumCertificate qc = QuorumCertificate.genesis(7);
        HandoverProof proof = new HandoverProof(1, Optional.empty(), qc,
                java.util.Collections.nCopies(2 + extra, leaf));
        byte[] bytes = codec.encode(new NodeMessage.HandoverProofMsg(proof));
        if (extra == 0) {
            assertEquals(proof, ((NodeMessage.HandoverProofMsg) tight.decode(bytes)).proof());
        } else {
            WireFormatException e = assertThrows(WireFormatException.class, () -> tight.decode(bytes));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("handover proof leaf count"), e.getMessage());
        }
    }

    private void decodeOrWireError(byte[] bytes) {
        try {
            NodeMessage m = codec.decode(bytes);
            // Accepted input has one encoding: nothing was ignored.
            assertArrayEquals(bytes, codec.encode(m));
        } catch (WireFormatException expected) {
            // the decoder's own error type
        }
    }

    /** Votes, certificates, proposals and leaves of later epochs, and the handover messages. */
    @Provide
    Arbitrary<NodeMessage> epochMessages() {
        Arbitrary<Bytes32> b32 = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::of);
        Arbitrary<Bytes32> nextTable = Arbitraries.oneOf(Arbitraries.just(Bytes32.ZERO), b32);
        Arbitrary<Long> epoch = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, Long.MAX_VALUE));
        Arbitrary<View> view = Arbitraries.longs().between(0, 1_000_000).map(View::new);
        Arbitrary<Leaf> leaf = Combinators.combine(view, Arbitraries.longs().between(0, 1000), b32, b32, view, nextTable)
                .as((v, h, p, b, j, t) -> new Leaf(7, v, new Height(h), p, b, j, t));
        Arbitrary<Signature> sig = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(96).map(Signature::new);
        Arbitrary<AggregateSignature> agg = Combinators.combine(Arbitraries.integers().between(0, 63).set().ofMaxSize(8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(96)).as((set, a) -> {
                    BitSet bits = new BitSet();
                    set.forEach(bits::set);
                    return new AggregateSignature(bits, a);
                });
        Arbitrary<QuorumCertificate> qc = Combinators.combine(Arbitraries.longs().between(0, 1000).map(View::new), b32, agg,
                epoch).as(QuorumCertificate::new);
        Arbitrary<Optional<TimeoutCertificate>> tc = Combinators.combine(qc, agg, epoch)
                .as((q, a, e) -> Optional.of(new TimeoutCertificate(new View(q.view().value() + 2), q,
                        List.of(new TimeoutCertificate.Part(q.view(), a), new TimeoutCertificate.Part(
                                new View(q.view().value() + 1), a)), e)));
        Arbitrary<Optional<TimeoutCertificate>> maybeTc = Arbitraries.oneOf(tc, Arbitraries.just(Optional.<TimeoutCertificate>empty()));
        Arbitrary<Proposal> proposal = Combinators.combine(leaf, qc, maybeTc, Arbitraries.integers().between(0, 63), sig, epoch)
                .as(Proposal::new);
        Arbitrary<NodeMessage> full = Combinators.combine(proposal, Arbitraries.bytes().array(byte[].class).ofMaxSize(16))
                .as((p, body) -> new NodeMessage.ProposalMsg(p, new NodeMessage.BlockData(body, body, body)));
        Arbitrary<NodeMessage> vote = Combinators.combine(view, b32, Arbitraries.integers().between(0, 63), sig, epoch)
                .as((v, c, i, s, e) -> new NodeMessage.VoteMsg(new QuorumVote(v, c, i, s, e)));
        Arbitrary<NodeMessage> timeout = Combinators.combine(qc, maybeTc, Arbitraries.integers().between(0, 63), sig, epoch)
                .as((q, t, i, s, e) -> new NodeMessage.TimeoutVoteMsg(new TimeoutVote(new View(q.view().value() + 5), q, t, i,
                        s, e)));
        Arbitrary<NodeMessage> handover = Combinators.combine(epoch, qc.optional(), qc, leaf.list().ofMinSize(2).ofMaxSize(4))
                .as((e, h, c, ls) -> new NodeMessage.HandoverProofMsg(new HandoverProof(e, h, c, ls)));
        Arbitrary<NodeMessage> request = epoch.map(NodeMessage.HandoverProofRequest::new);
        Arbitrary<NodeMessage> suffix = proposal.map(NodeMessage.SuffixProposalMsg::new);
        Arbitrary<NodeMessage> reply = Combinators.combine(leaf, leaf.list().ofMaxSize(3), leaf, qc)
                .as((a, above, child, q) -> new NodeMessage.BlocksReply(List.of(new NodeMessage.DecidedBlockData(a,
                        new NodeMessage.BlockData(new byte[3], new byte[0], new byte[5]))),
                        Optional.of(new NodeMessage.DecideProof(above, child, q))));
        return Arbitraries.oneOf(full, vote, timeout, handover, request, suffix, reply,
                leaf.list().ofMaxSize(3).map(NodeMessage.LeavesReply::new));
    }

    @Provide
    Arbitrary<NodeMessage> messages() {
        Arbitrary<Bytes32> b32 = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::of);
        Arbitrary<View> view = Arbitraries.longs().between(0, 1_000_000).map(View::new);
        Arbitrary<Leaf> leaf = Combinators.combine(view, Arbitraries.longs().between(0, 1000), b32, b32, view)
                .as((v, h, p, b, j) -> new Leaf(7, v, new Height(h), p, b, j));
        Arbitrary<Signature> sig = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(96).map(Signature::new);
        Arbitrary<AggregateSignature> agg = Combinators.combine(Arbitraries.integers().between(0, 63).set().ofMaxSize(8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(96)).as((set, a) -> {
                    BitSet bits = new BitSet();
                    set.forEach(bits::set);
                    return new AggregateSignature(bits, a);
                });
        Arbitrary<QuorumCertificate> qc = Combinators.combine(Arbitraries.longs().between(0, 1000).map(View::new), b32, agg)
                .as(QuorumCertificate::new);
        Arbitrary<Optional<TimeoutCertificate>> tc = Combinators.combine(qc, agg)
                .as((q, a) -> Optional.of(new TimeoutCertificate(new View(q.view().value() + 1), q, a)));
        Arbitrary<Optional<TimeoutCertificate>> maybeTc = Arbitraries.oneOf(tc, Arbitraries.just(Optional.<TimeoutCertificate>empty()));
        Arbitrary<NodeMessage> proposal = Combinators.combine(leaf, qc, maybeTc,
                Arbitraries.integers().between(0, 63), sig, Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as((l, q, t, p, s, body) -> new NodeMessage.ProposalMsg(new Proposal(l, q, t, p, s),
                        new NodeMessage.BlockData(body, body, body)));
        Arbitrary<NodeMessage> vote = Combinators.combine(view, b32, Arbitraries.integers().between(0, 63), sig)
                .as((v, c, i, s) -> new NodeMessage.VoteMsg(new QuorumVote(v, c, i, s)));
        Arbitrary<NodeMessage> timeout = Combinators.combine(qc, Arbitraries.integers().between(0, 63), sig)
                .as((q, i, s) -> new NodeMessage.TimeoutVoteMsg(new TimeoutVote(new View(q.view().value() + 1), q, Optional.empty(), i, s)));
        Arbitrary<NodeMessage> txs = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).list().ofMaxSize(5)
                .map(l -> new NodeMessage.TxBatch(l.stream().map(p -> new NodeMessage.Tx(3, p)).toList()));
        Arbitrary<NodeMessage> leaves = leaf.list().ofMaxSize(3).map(NodeMessage.LeavesReply::new);
        Arbitrary<NodeMessage> reply = Combinators.combine(leaf, leaf, qc).as((a, child, q) -> new NodeMessage.BlocksReply(
                List.of(new NodeMessage.DecidedBlockData(a, new NodeMessage.BlockData(new byte[3], new byte[0], new byte[5]))),
                Optional.of(new NodeMessage.DecideProof(child, q))));
        Arbitrary<NodeMessage> lc = Combinators.combine(Arbitraries.longs().between(0, 100), Arbitraries.integers().between(0, 63), sig)
                .as((h, i, s) -> new NodeMessage.LcSignature(h, i, s.bytes()));
        Arbitrary<NodeMessage> small = Combinators.combine(b32, Arbitraries.integers().between(0, 200))
                .as((c, n) -> (NodeMessage) new NodeMessage.FetchLeaves(c, n));
        Arbitrary<NodeMessage> fetchBlock = b32.map(NodeMessage.FetchBlock::new);
        Arbitrary<byte[]> blob = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<Long> height = Arbitraries.longs().between(0, 1_000);
        Arbitrary<NodeMessage> da = Arbitraries.oneOf(
                height.map(NodeMessage.PayloadRequest::new),
                Combinators.combine(height, Arbitraries.of(true, false), blob, blob).as(NodeMessage.PayloadReply::new),
                height.map(NodeMessage.ShareRequest::new),
                Combinators.combine(height, blob, blob).as(NodeMessage.ShareReply::new),
                Combinators.combine(leaf, qc, sig, blob, blob, Arbitraries.integers().between(0, 9).list().ofMaxSize(4),
                        b32.list().ofMaxSize(5), blob.list().ofMaxSize(3)).as((l, q, s, nsTable, share, counts, hashes, records) ->
                        new NodeMessage.ShareProposalMsg(new Proposal(l, q, Optional.empty(), 1, s), new byte[20], nsTable, share,
                                counts, hashes, records)),
                blob.list().ofMaxSize(NodeCodec.MAX_GOSSIP_BUNDLES).map(NodeMessage.BundleGossip::new),
                Arbitraries.bytes().array(byte[].class).ofSize(dev.cortado.node.da.DaVote.WIRE_BYTES).map(NodeMessage.DaVoteMsg::new),
                Combinators.combine(b32, Arbitraries.bytes().array(byte[].class).ofMaxSize(8), blob.filter(x -> x.length > 0))
                        .as(NodeMessage.DaCertMsg::new));
        return Arbitraries.oneOf(proposal, vote, timeout, txs, leaves, reply, lc, small, fetchBlock, da,
                Arbitraries.longs().between(0, 100).map(h -> new NodeMessage.BlocksRequest(h, 10)), epochMessages());
    }
}
