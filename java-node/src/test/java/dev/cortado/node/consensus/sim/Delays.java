package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Input;
import java.util.Random;

/**
 * How long the network takes to carry one message. Before the heal: random jitter (which reorders). After
 * the heal (GST) every delay stays within {@code [baseMs, boundMs]}, but an adversarial scheduler picks it
 * inside that window to hurt progress, instead of drawing it at random.
 */
sealed interface Delays {
    /** What the scheduler may ask about the replicas: whom each one's next view is led by. */
    interface Network {
        /** The leader of the view after {@code replica}'s current view. */
        int nextLeaderOf(int replica);

        /** The leader of {@code replica}'s current view. */
        int leaderOf(int replica);
    }

    long delayMs(int from, int to, Payload payload);

    /** The largest delay this scheduler ever picks. */
    long boundMs();

    record Jitter(long baseMs, long jitterMs, Random random) implements Delays {
        @Override
        public long delayMs(int from, int to, Payload payload) {
            return baseMs + (jitterMs == 0 ? 0 : random.nextInt((int) jitterMs + 1));
        }

        @Override
        public long boundMs() {
            return baseMs + jitterMs;
        }
    }

    /** The adversary's ways of spending the delay bound after GST. */
    enum Strategy {
        /** Everything addressed to the sender's next leader (its votes, timeout votes) arrives last. */
        SLOW_NEXT_LEADER,
        /** The current leader's proposals and data arrive last; everything else at once. */
        SLOW_LEADER,
        /** Votes overtake one another: the later a vote is sent, the sooner it lands. */
        REVERSE_VOTES,
        /** Messages across the halves (even and odd indices) take the bound, inside a half the base. */
        SLOW_ACROSS_HALVES
    }

    record Adversarial(long baseMs, long boundMs, Strategy strategy, Network network, long[] sent)
            implements Delays {
        Adversarial(long baseMs, long boundMs, Strategy strategy, Network network) {
            this(baseMs, boundMs, strategy, network, new long[1]);
        }

        @Override
        public long delayMs(int from, int to, Payload payload) {
            long n = sent[0]++;
            return switch (strategy) {
                case SLOW_NEXT_LEADER -> to == network.nextLeaderOf(from) ? boundMs : baseMs;
                case SLOW_LEADER -> from == network.leaderOf(from) && carriesProposal(payload) ? boundMs : baseMs;
                case REVERSE_VOTES -> isVote(payload) ? boundMs - n % (boundMs - baseMs + 1) : baseMs;
                case SLOW_ACROSS_HALVES -> from % 2 != to % 2 ? boundMs : baseMs;
            };
        }

        private static boolean carriesProposal(Payload payload) {
            return payload instanceof Payload.Data || payload instanceof Payload.DaCert
                    || payload instanceof Payload.ToCore t && t.input() instanceof Input.ProposalReceived;
        }

        private static boolean isVote(Payload payload) {
            return payload instanceof Payload.ToCore t && (t.input() instanceof Input.VoteReceived
                    || t.input() instanceof Input.TimeoutVoteReceived);
        }
    }
}
