package dev.cortado.node.api;

import dev.cortado.node.mempool.SubmitResult;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;

/**
 * What the HTTP API reads from and writes to; the node runtime implements it. Returned objects
 * are records that Jackson serialises as the response body.
 */
public interface ApiBackend {
    SubmitResult submit(long namespace, byte[] payload);

    /** A batch, answered entry by entry in order as {@link #submit} would; a backend may look the batch up at once. */
    default java.util.List<SubmitResult> submitAll(java.util.List<dev.cortado.node.mempool.Mempool.Submission> batch) {
        return batch.stream().map(s -> submit(s.namespace(), s.payload())).toList();
    }

    /**
     * Why a client submission would be refused now because this node's undecided backlog is at its limit (reason
     * {@code BACKLOG}), or empty. The submit routes ask before decoding a body, so an overloaded node spends nothing
     * on what it would refuse anyway; {@link #submitAll} still refuses a whole batch on its own if the backlog filled
     * meanwhile.
     */
    default Optional<SubmitResult.Refused> backlogRefusal() {
        return Optional.empty();
    }

    Object status();

    /**
     * The decided block at {@code height}, or empty if not decided (or pruned), with its header's proof
     * against the light-client state of {@code certifiedHeight} when given and available, else any.
     */
    Optional<Object> block(long height, Optional<Long> certifiedHeight);

    /** The light-client certificate of {@code height}, or of the highest certified height when empty. */
    Optional<Object> lightClient(Optional<Long> height);

    /**
     * The namespace's transactions in the block at {@code height} with their proof, or empty if not decided here;
     * the handler answers it as JSON or, when asked, as {@code NamespaceBinary}.
     */
    Optional<NamespaceProof> namespace(long height, long namespace);

    /** Where a decided transaction is, with its inclusion proof. */
    Optional<Object> transaction(Bytes32 hash);

    /**
     * This node's root over header commitments {@code 0..height} (what the light-client state of {@code height}
     * carries as {@code blockCommRoot}), or empty when {@code height} is not decided here. The confirmation
     * levels compare it with LightClient.sol's root before calling anything L1-final.
     */
    default Optional<Bytes32> headerRoot(long height) {
        return Optional.empty();
    }

    /**
     * A decided bundle by id (its EIP-712 digest): the block it was decided in, its record with the proof of the
     * block's reserved namespace, and one namespace proof per namespace it touches; empty if not decided here.
     */
    default Optional<Object> bundle(Bytes32 id) {
        return Optional.empty();
    }

    /**
     * {@code GET /v0/epoch/{epoch}}: the epoch's stake table with its handover ({@code EpochAnswer}), or why there
     * is none (answered 404 with that reason).
     */
    default EpochLookup epoch(long epoch) {
        return new EpochLookup.Missing("this node serves no epochs");
    }

    /** An epoch's answer, or the reason it has none. */
    sealed interface EpochLookup {
        record Found(Object answer) implements EpochLookup {
        }

        record Missing(String reason) implements EpochLookup {
        }
    }

    /** Highest decided height, -1 before the first decision. */
    long latestHeight();

    /** Lowest height still served (the pruning floor). */
    long oldestHeight();

    /** Registers a callback run (on some node thread) after each new decided block. */
    void onDecided(Runnable listener);
}
