package dev.cortado.node.api;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.ConfirmationJson;
import dev.cortado.lightclient.api.ConfirmationJson.L1FinalJson;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three confirmation levels. A decided transaction or block is HotShot-final; it is L1-final when
 * LightClient.sol's finalized state, read at a final L1 block, reaches its height AND the contract's root equals
 * this node's own root over headers {@code 0..lightClientHeight}. The root check is what keeps a lying L1
 * endpoint (or a light client certifying another chain) from making this node call anything L1-final; a
 * mismatch is logged once per light-client height and the level stays HotShot-final. A transaction that is
 * not decided but sits in a pooled bundle is pre-confirmed.
 */
public final class Confirmations {
    private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);

    /** The outcome of comparing the L1 light client's root with the node's own. */
    public sealed interface L1Check {
        /** Every height up to {@code l1.lightClientHeight()} is L1-final. */
        record Agrees(L1FinalJson l1) implements L1Check {
        }

        /** LightClient.sol certified a different chain (or the L1 endpoint lies): nothing is L1-final. */
        record Mismatch(String reason) implements L1Check {
        }

        /** Nothing is L1-final yet: no state on L1, or this node has not decided that height. */
        record None(String reason) implements L1Check {
        }
    }

    private final ApiBackend backend;
    private volatile ConfirmationSource source;
    /** The last state checked and its outcome; the check costs a Merkle proof, requests come often. */
    private volatile CachedCheck cached;
    private volatile long warnedHeight = -1;

    private record CachedCheck(L1FinalJson l1, L1Check outcome) {
    }

    Confirmations(ApiBackend backend) {
        this.backend = backend;
    }

    void install(ConfirmationSource s) {
        this.source = s;
    }

    /**
     * Pure: how {@code lc} relates to the node's own chain. {@code ownRoot(h)} is this node's root over headers
     * {@code 0..h}, empty when it has not decided {@code h} (or pruned it).
     */
    public static L1Check check(Optional<L1FinalJson> lc, LongFunction<Optional<Bytes32>> ownRoot) {
        if (lc.isEmpty()) return new L1Check.None("no light-client state on L1");
        L1FinalJson l1 = lc.get();
        Bytes32 claimed;
        try {
            claimed = Bytes32.fromHex(l1.blockCommRoot());
        } catch (IllegalArgumentException e) {
            return new L1Check.Mismatch("light-client root " + l1.blockCommRoot() + " is malformed");
        }
        Optional<Bytes32> own = ownRoot.apply(l1.lightClientHeight());
        if (own.isEmpty()) {
            return new L1Check.None("this node has not decided light-client height " + l1.lightClientHeight() + " yet");
        }
        if (!own.get().equals(claimed)) {
            return new L1Check.Mismatch("LightClient.sol at L1 block " + l1.l1Block() + " holds root " + claimed + " for height "
                    + l1.lightClientHeight() + ", this node's chain gives " + own.get());
        }
        return new L1Check.Agrees(l1);
    }

    /** Pure: the level of something decided at {@code height} in {@code view}, given the L1 check. */
    public static ConfirmationJson level(long height, long view, L1Check l1) {
        if (l1 instanceof L1Check.Agrees a && a.l1().lightClientHeight() >= height) {
            return ConfirmationJson.l1Final(height, view, a.l1());
        }
        return ConfirmationJson.hotShotFinal(height, view);
    }

    /** The current L1 check, against the installed source and this node's chain. */
    L1Check l1Check() {
        ConfirmationSource s = source;
        if (s == null) return new L1Check.None("this node does not follow a light client on L1");
        Optional<L1FinalJson> lc = s.lightClientOnL1();
        CachedCheck c = cached;
        if (c != null && lc.isPresent() && c.l1().equals(lc.get())) return c.outcome();
        L1Check outcome = check(lc, backend::headerRoot);
        // Agreement and disagreement are final for a given L1 state; "not decided yet" is not.
        if (!(outcome instanceof L1Check.None)) cached = new CachedCheck(lc.get(), outcome);
        if (outcome instanceof L1Check.Mismatch m && warnedHeight != lc.get().lightClientHeight()) {
            warnedHeight = lc.get().lightClientHeight();
            LOG.warn("not reporting L1 finality: {}", m.reason());
        }
        return outcome;
    }

    /** A decided transaction's answer with its level raised to L1-final when the light client covers it. */
    TransactionAnswer forTransaction(TransactionAnswer decided) {
        ConfirmationJson c = decided.confirmation();
        if (c == null || c.view() == null) return decided;
        return decided.withConfirmation(level(decided.height(), c.view(), l1Check()));
    }

    BlockAnswer forBlock(BlockAnswer block) {
        return block.withConfirmation(level(block.height(), block.header().view(), l1Check()));
    }

    /** A transaction that is not decided: pre-confirmed if a pooled bundle holds it. */
    Optional<TransactionAnswer> pending(Bytes32 hash) {
        ConfirmationSource s = source;
        if (s == null) return Optional.empty();
        return s.pooled(hash).map(p -> TransactionAnswer.preConfirmed(p.transaction(), p.bundle()));
    }
}
