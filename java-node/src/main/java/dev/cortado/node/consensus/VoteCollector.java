package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** Counts verified quorum votes per (view, leaf) and timeout votes per view until > 2/3 of stake. */
public final class VoteCollector {
    /** What adding one vote did. */
    public sealed interface Outcome {
        record Counted(long stakeGwei) implements Outcome {
        }

        record Duplicate() implements Outcome {
        }

        record AlreadyCertified() implements Outcome {
        }

        record Equivocation(QuorumVote first) implements Outcome {
        }

        record Quorum(SortedMap<Integer, Signature> signatures) implements Outcome {
        }
    }

    private final StakeWeights stakes;
    private final Rules rules;
    private final TreeMap<View, Map<Integer, View>> timeoutHighQcViews = new TreeMap<>();
    private final TreeMap<View, Map<Integer, QuorumVote>> firstVoteByVoter = new TreeMap<>();
    private final TreeMap<View, Map<Bytes32, TreeMap<Integer, Signature>>> quorumVotes = new TreeMap<>();
    private final TreeMap<View, TreeMap<Integer, Signature>> timeoutVotes = new TreeMap<>();
    private final Set<View> certified = new HashSet<>();
    private final Set<View> timedOut = new HashSet<>();

    public VoteCollector(StakeWeights stakes) {
        this(stakes, Rules.CORRECT);
    }

    VoteCollector(StakeWeights stakes, Rules rules) {
        this.stakes = stakes;
        this.rules = rules;
    }

    public Outcome addQuorumVote(QuorumVote vote) {
        Map<Integer, QuorumVote> voters = firstVoteByVoter.computeIfAbsent(vote.view(), v -> new HashMap<>());
        QuorumVote first = voters.putIfAbsent(vote.voter(), vote);
        if (first != null) {
            return first.leafCommitment().equals(vote.leafCommitment()) ? new Outcome.Duplicate()
                    : new Outcome.Equivocation(first);
        }
        if (certified.contains(vote.view())) {
            return new Outcome.AlreadyCertified();
        }
        TreeMap<Integer, Signature> forLeaf = quorumVotes.computeIfAbsent(vote.view(), v -> new HashMap<>())
                .computeIfAbsent(vote.leafCommitment(), l -> new TreeMap<>());
        forLeaf.put(vote.voter(), vote.signature());
        return settle(vote.view(), forLeaf, certified);
    }

    /** Counts a verified timeout vote; {@code highQcView} is the high-QC view its signature covers. */
    public Outcome addTimeoutVote(View view, int voter, View highQcView, Signature signature) {
        TreeMap<Integer, Signature> votes = timeoutVotes.computeIfAbsent(view, v -> new TreeMap<>());
        if (votes.putIfAbsent(voter, signature) != null) {
            return new Outcome.Duplicate();
        }
        timeoutHighQcViews.computeIfAbsent(view, v -> new HashMap<>()).put(voter, highQcView);
        if (timedOut.contains(view)) {
            return new Outcome.AlreadyCertified();
        }
        return settle(view, votes, timedOut);
    }

    private Outcome settle(View view, TreeMap<Integer, Signature> votes, Set<View> done) {
        long stake = 0;
        for (Integer voter : votes.keySet()) {
            stake += stakes.stakeGwei(voter);
        }
        if (rules.isQuorum(stakes, stake)) {
            done.add(view);
            return new Outcome.Quorum(new TreeMap<>(votes));
        }
        return new Outcome.Counted(stake);
    }

    /** Stake of the timeout votes counted for {@code view} (0 when none or pruned). */
    public long timeoutStakeGwei(View view) {
        TreeMap<Integer, Signature> votes = timeoutVotes.get(view);
        long stake = 0;
        if (votes != null) {
            for (Integer voter : votes.keySet()) {
                stake += stakes.stakeGwei(voter);
            }
        }
        return stake;
    }

    /** The high-QC view each counted timeout voter of {@code view} signed. */
    public Map<Integer, View> timeoutHighQcViews(View view) {
        return Map.copyOf(timeoutHighQcViews.getOrDefault(view, Map.of()));
    }

    /** True when {@code voter}'s timeout vote for {@code view} is counted already (no crypto needed to drop it). */
    public boolean hasTimeoutVote(View view, int voter) {
        TreeMap<Integer, Signature> votes = timeoutVotes.get(view);
        return votes != null && votes.containsKey(voter);
    }

    /** The vote of {@code voter} counted first in {@code view}, or null. */
    public QuorumVote firstVote(View view, int voter) {
        Map<Integer, QuorumVote> voters = firstVoteByVoter.get(view);
        return voters == null ? null : voters.get(voter);
    }

    /** Forgets every view before {@code view}. */
    public void pruneBefore(View view) {
        firstVoteByVoter.headMap(view).clear();
        quorumVotes.headMap(view).clear();
        timeoutVotes.headMap(view).clear();
        timeoutHighQcViews.headMap(view).clear();
        certified.removeIf(v -> v.isBefore(view));
        timedOut.removeIf(v -> v.isBefore(view));
    }
}
