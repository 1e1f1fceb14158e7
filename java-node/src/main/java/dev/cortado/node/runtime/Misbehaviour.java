package dev.cortado.node.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** Per-kind counters of what peers sent that an honest peer never sends, exported at /metrics. */
final class Misbehaviour {
    enum Kind {
        /** A DA certificate that failed verification. */
        BAD_DA_CERT,
        /** A DA certificate for a block this node never saw proposed (held, not tracked). */
        UNKNOWN_DA_CERT,
        /** A proposal from a peer that does not lead its view, or relayed by another peer. */
        PROPOSAL_NOT_FROM_LEADER,
        /** A proposal whose leader signature does not verify. */
        PROPOSAL_BAD_SIGNATURE,
        /** A proposal for a view long past. */
        PROPOSAL_STALE,
        /** A second, different block proposed in one view. */
        PROPOSAL_SECOND_BLOCK,
        /** A proposal sent without its block that commits to one (only a suffix leaf travels bare). */
        PROPOSAL_WITHOUT_BLOCK,
        /** A DA vote whose signer is not its sender, or that does not decode. */
        BAD_DA_VOTE,
        /** A light-client signature that does not decode or does not verify for its signer. */
        BAD_LC_SIGNATURE
    }

    private final Map<Kind, Counter> counters = new EnumMap<>(Kind.class);

    Misbehaviour(MeterRegistry registry) {
        for (Kind k : Kind.values()) {
            counters.put(k, Counter.builder("cortado_misbehaviour_total").tag("kind", k.name().toLowerCase())
                    .description("messages peers sent that an honest peer never sends").register(registry));
        }
    }

    void count(Kind kind) {
        counters.get(kind).increment();
    }

    long total(Kind kind) {
        return (long) counters.get(kind).count();
    }
}
