package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Transition;
import java.util.List;

/** What a failing seed prints, and the trace hash that proves a replay is exact. */
final class Diagnostics {
    private Diagnostics() {
    }

    /** Each replica's state and its last recorded transitions. */
    static String of(Replica[] nodes) {
        StringBuilder sb = new StringBuilder();
        for (Replica node : nodes) {
            sb.append("replica ").append(node.index()).append(' ').append(node.label());
            if (!node.isUp()) {
                sb.append(" (down)\n");
                continue;
            }
            var core = node.core();
            sb.append(" view ").append(core.currentView().value()).append(" voted ")
                    .append(core.safetyState().highestVotedView().value()).append(" lock ")
                    .append(core.safetyState().lockedQc().view().value()).append(" highQc ")
                    .append(core.highQc().view().value()).append(" decided ").append(core.lastDecided().height().value())
                    .append("\n    ").append(core.pendingSummary()).append('\n');
            List<Transition> log = core.recentTransitions();
            for (var t : log.subList(Math.max(0, log.size() - 12), log.size())) {
                sb.append("    ").append(t).append('\n');
            }
        }
        return sb.toString();
    }

    /** A number for what was delivered (kind and view), folded into the trace hash. */
    static long code(Payload payload) {
        return switch (payload) {
            case Payload.LeafRequest r -> 1;
            case Payload.Data d -> 10 + 16 * d.view().value();
            case Payload.DaCert c -> 12 + 16 * c.view().value();
            case Payload.Sided s -> 11 + 16 * code(s.inner());
            case Payload.ToCore t -> switch (t.input()) {
                case Input.Start s -> 2;
                case Input.ProposalReceived p -> 3 + 16 * p.proposal().leaf().view().value();
                case Input.VoteReceived v -> 4 + 16 * v.vote().view().value();
                case Input.TimeoutVoteReceived v -> 5 + 16 * v.vote().view().value();
                case Input.Timeout t2 -> 6 + 16 * t2.view().value();
                case Input.BlockBuilt b -> 7 + 16 * b.view().value();
                case Input.DataAvailable d -> 8 + 16 * d.view().value();
                case Input.LeavesReceived l -> 9 + 16 * l.leaves().size();
                case Input.HandoverProofReceived h -> 13 + 16 * h.proof().epoch();
                case Input.HandoverProofRequested h -> 14 + 16 * h.epoch();
            };
        };
    }

    static long mix(long h, long v) {
        long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 31);
    }
}
