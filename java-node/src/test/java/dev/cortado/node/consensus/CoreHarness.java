package dev.cortado.node.consensus;

import dev.cortado.node.consensus.sim.SimCrypto;
import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Scripts a core: builds correctly signed proposals, votes and certificates of any replica (equal stakes unless given). */
final class CoreHarness {
    static final long CHAIN = 7;
    static final long BASE_TIMEOUT_MS = 1_000;

    final int n;
    final SimCrypto crypto;
    final ConsensusSigner[] signers;
    final ConsensusConfig config;
    final LeaderSchedule schedule;
    final Leaf genesis = Leaf.genesis(CHAIN);
    final QuorumCertificate genesisQc = QuorumCertificate.genesis(CHAIN);

    CoreHarness(int n) {
        this(StakeWeights.equal(n, 10));
    }

    /** Replicas with these stakes (the leader schedule weighted by them). */
    CoreHarness(StakeWeights stakes) {
        this.n = stakes.size();
        this.crypto = new SimCrypto(n, 42);
        this.signers = new ConsensusSigner[n];
        for (int i = 0; i < n; i++) {
            signers[i] = crypto.signerFor(i);
        }
        this.config = new ConsensusConfig(CHAIN, stakes, BASE_TIMEOUT_MS, 16_000, 100, 4, 10, 64);
        this.schedule = new LeaderSchedule(stakes);
    }

    ConsensusCore core(int index) {
        return core(index, SafetyState.initial(CHAIN), genesis);
    }

    ConsensusCore core(int index, SafetyState safety, Leaf lastDecided) {
        return new ConsensusCore(config, signers[index], crypto, safety, lastDecided);
    }

    static View v(long view) {
        return View.of(view);
    }

    static Bytes32 block(String name) {
        return Keccak.hash(name.getBytes(StandardCharsets.UTF_8));
    }

    int leader(long view) {
        return schedule.leader(v(view));
    }

    Leaf leaf(long view, Leaf parent, QuorumCertificate justify, String block) {
        return new Leaf(CHAIN, v(view), parent.height().next(), parent.commitment(), block(block), justify.view());
    }

    Proposal proposal(Leaf leaf, QuorumCertificate justify, Optional<TimeoutCertificate> tc) {
        return proposalBy(schedule.leader(leaf.view()), leaf, justify, tc);
    }

    Proposal proposalBy(int proposer, Leaf leaf, QuorumCertificate justify, Optional<TimeoutCertificate> tc) {
        return new Proposal(leaf, justify, tc, proposer,
                signers[proposer].sign(Digests.quorumVote(CHAIN, leaf.view(), leaf.commitment())));
    }

    QuorumVote vote(int voter, long view, Bytes32 leafCommitment) {
        return new QuorumVote(v(view), leafCommitment, voter,
                signers[voter].sign(Digests.quorumVote(CHAIN, v(view), leafCommitment)));
    }

    QuorumCertificate qc(Leaf leaf, int... voters) {
        TreeMap<Integer, Signature> sigs = new TreeMap<>();
        for (int voter : voters) {
            sigs.put(voter, vote(voter, leaf.view().value(), leaf.commitment()).signature());
        }
        Bytes32 digest = Digests.quorumVote(CHAIN, leaf.view(), leaf.commitment());
        return new QuorumCertificate(leaf.view(), leaf.commitment(), crypto.aggregate(digest, sigs));
    }

    TimeoutVote timeoutVote(int voter, long view, QuorumCertificate highQc) {
        return new TimeoutVote(v(view), highQc, Optional.empty(), voter,
                signers[voter].sign(Digests.timeoutVote(CHAIN, v(view), highQc.view())));
    }

    /** A timeout vote that also carries the TC of the view before (how a late replica learns it). */
    TimeoutVote timeoutVote(int voter, long view, QuorumCertificate highQc, TimeoutCertificate lastTc) {
        return new TimeoutVote(v(view), highQc, Optional.of(lastTc), voter,
                signers[voter].sign(Digests.timeoutVote(CHAIN, v(view), highQc.view())));
    }

    TimeoutCertificate tc(long view, QuorumCertificate highQc, int... voters) {
        TreeMap<Integer, Signature> sigs = new TreeMap<>();
        for (int voter : voters) {
            sigs.put(voter, timeoutVote(voter, view, highQc).signature());
        }
        return new TimeoutCertificate(v(view), highQc, crypto.aggregate(Digests.timeoutVote(CHAIN, v(view),
                highQc.view()), sigs));
    }

    /** The first proposal of the scripts: block "a" in view 1 on genesis. */
    Leaf leafA() {
        return leaf(1, genesis, genesisQc, "a");
    }

    Proposal proposalA() {
        return proposal(leafA(), genesisQc, Optional.empty());
    }

    /** Position of the first effect of {@code kind}, or -1: the tests assert orderings such as persist-before-send. */
    static int indexOf(List<Effect> effects, Class<? extends Effect> kind) {
        for (int i = 0; i < effects.size(); i++) {
            if (kind.isInstance(effects.get(i))) {
                return i;
            }
        }
        return -1;
    }

    static <T extends Effect> List<T> effects(List<Effect> effects, Class<T> kind) {
        return effects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /**
     * The verdict of the input itself: deferred proposals resumed while handling it log theirs first (as
     * "deferred-proposal"), and buffered messages replayed afterwards log theirs after it.
     */
    static Verdict verdict(List<Effect> effects) {
        return effects(effects, Effect.LogVerdict.class).stream().filter(l -> !l.input().equals("deferred-proposal"))
                .findFirst().orElseThrow().verdict();
    }
}
