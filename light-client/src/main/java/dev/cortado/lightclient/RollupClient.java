package dev.cortado.lightclient;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.ConfirmationJson;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a rollup uses: "give me the verified transactions of namespace N from height h". It follows one
 * or several nodes, trusts none of them, and asks the next node when one fails or lies. Thread-safe
 * (calls are serialised).
 *
 * <p>A lie is a {@link LightClientVerificationException}; when every node fails, the call throws the
 * first lie seen (other failures attached as suppressed), or a {@link NodeUnavailableException} when
 * no node lied.
 *
 * <p>With a verifier that follows epochs, the client walks the chain of handovers from its genesis
 * table up to the epoch of each node's latest state before it checks that state, asking the same node for
 * each epoch's table; a handover the outgoing table did not sign is a lie like any other.
 */
public final class RollupClient {
    private static final int STATE_CACHE = 64;
    private static final int MAX_LIES_KEPT = 100;
    /** Handovers followed per call, so a node claiming a far-future height cannot keep one call busy. */
    static final int MAX_HANDOVERS_PER_CALL = 256;

    private final List<NodeFollower> nodes;
    private final LightClientVerifier verifier;
    private final int maxBlocksPerCall;
    private final Map<Long, CertifiedState> states = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CertifiedState> eldest) {
            return size() > STATE_CACHE;
        }
    };
    private final List<LightClientVerificationException> lies = new ArrayList<>();
    private CertifiedState latest;

    public RollupClient(List<NodeFollower> nodes, LightClientVerifier verifier, int maxBlocksPerCall) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a rollup client needs at least one node");
        }
        if (maxBlocksPerCall < 1) {
            throw new IllegalArgumentException("maxBlocksPerCall must be positive, got " + maxBlocksPerCall);
        }
        this.nodes = List.copyOf(nodes);
        this.verifier = verifier;
        this.maxBlocksPerCall = maxBlocksPerCall;
    }

    /**
     * The highest certified state any node proves; never goes back below a state already verified.
     */
    public synchronized CertifiedState latestCertified() {
        List<RuntimeException> failures = new ArrayList<>();
        for (NodeFollower node : nodes) {
            try {
                LightClientAnswer answer = node.latestLightClient();
                followEpochs(node, answer);
                CertifiedState s = verifier.verifyLightClient(answer);
                states.put(s.height(), s);
                if (latest == null || s.height() > latest.height()) {
                    latest = s;
                }
            } catch (LightClientVerificationException e) {
                recordLie(e);
                failures.add(e);
            } catch (NodeUnavailableException e) {
                failures.add(e);
            }
        }
        if (latest == null) {
            throw combined(failures, "no node proved a light-client state");
        }
        return latest;
    }

    /**
     * The namespace's verified transactions from {@code fromHeight} up to the latest certified height
     * (at most {@code maxBlocksPerCall} blocks per call).
     */
    public synchronized VerifiedTransactions verifiedTransactions(NamespaceId namespace, long fromHeight) {
        if (fromHeight < 0) {
            throw new IllegalArgumentException("fromHeight must be non-negative, got " + fromHeight);
        }
        CertifiedState certified = latestCertified();
        long to = Math.min(certified.height(), fromHeight + maxBlocksPerCall - 1);
        List<VerifiedTransaction> out = new ArrayList<>();
        for (long h = fromHeight; h <= to; h++) {
            long height = h;
            List<Transaction> txs = fromAnyNode(node -> {
                BlockHeader header = verifiedHeader(node, height, certified);
                return verifier.verifyNamespace(header, namespace, node.namespace(height, namespace));
            }, "block " + height + " of " + namespace);
            for (int i = 0; i < txs.size(); i++) {
                out.add(new VerifiedTransaction(height, i, txs.get(i)));
            }
        }
        return new VerifiedTransactions(namespace, fromHeight, to, certified, out);
    }

    /** A decided transaction by hash, proven against a certified header. */
    public synchronized VerifiedTransaction verifiedTransaction(Bytes32 hash) {
        CertifiedState certified = latestCertified();
        return fromAnyNode(node -> {
            TransactionAnswer answer = node.transaction(hash);
            if (answer.height() < 0 || answer.height() > certified.height()) {
                throw new NodeUnavailableException("transaction " + hash + " is at height " + answer.height()
                        + ", above the certified height " + certified.height(), 0, null);
            }
            BlockHeader header = verifiedHeader(node, answer.height(), certified);
            Transaction tx = verifier.verifyTransaction(header, answer);
            if (!tx.hash().equals(hash)) {
                throw new LightClientVerificationException(LightClientVerificationException.Reason.MALFORMED_ANSWER,
                        "asked for transaction " + hash + ", got " + tx.hash());
            }
            return new VerifiedTransaction(answer.height(), answer.index(), tx);
        }, "transaction " + hash);
    }

    /**
     * How final {@code hash} is: every node is asked and the highest level among answers that check out wins.
     * A decided answer is proven against a certified header (and its claimed view must be that header's) as soon
     * as the certificates reach its height; a node whose proof fails is recorded as lying and not believed. A
     * node that does not know the transaction (404) says nothing; UNKNOWN means none knew it.
     */
    public synchronized TransactionConfirmation confirmation(Bytes32 hash) {
        TransactionConfirmation best = new TransactionConfirmation(hash, TransactionConfirmation.Level.UNKNOWN, null, null, null);
        List<RuntimeException> failures = new ArrayList<>();
        CertifiedState certified = null;
        for (NodeFollower node : nodes) {
            try {
                TransactionAnswer answer = node.transaction(hash);
                if (!hash.toHex().equals(answer.hash())) {
                    throw new LightClientVerificationException(LightClientVerificationException.Reason.MALFORMED_ANSWER,
                            "asked for transaction " + hash + ", got " + answer.hash());
                }
                TransactionConfirmation c;
                if (!answer.decided()) {
                    ConfirmationJson claim = answer.confirmation();
                    if (claim == null || !claim.level().equals(ConfirmationJson.PRE_CONFIRMED)) {
                        throw new LightClientVerificationException(LightClientVerificationException.Reason.MALFORMED_ANSWER,
                                "an undecided transaction answer must be pre_confirmed, got " + claim);
                    }
                    c = new TransactionConfirmation(hash, TransactionConfirmation.Level.PRE_CONFIRMED, null, claim, node.base());
                } else {
                    if (certified == null || certified.height() < answer.height()) certified = latestCertified();
                    c = decided(node, hash, answer, certified);
                }
                if (c.level().compareTo(best.level()) > 0) best = c;
            } catch (LightClientVerificationException e) {
                recordLie(e);
                failures.add(e);
            } catch (NodeUnavailableException e) {
                if (e.httpStatus() != 404) failures.add(e);
            }
        }
        if (best.level() == TransactionConfirmation.Level.UNKNOWN && !failures.isEmpty()) {
            throw combined(failures, "no node answered for transaction " + hash);
        }
        return best;
    }

    private TransactionConfirmation decided(NodeFollower node, Bytes32 hash, TransactionAnswer answer, CertifiedState certified) {
        ConfirmationJson claim = answer.confirmation();
        if (claim == null || claim.rank() < 2 || claim.height() != answer.height()) {
            throw new LightClientVerificationException(LightClientVerificationException.Reason.MALFORMED_ANSWER,
                    "a decided transaction at height " + answer.height() + " must be hotshot_final or l1_final there, got " + claim);
        }
        if (answer.height() > certified.height()) {
            // Not provable yet: the node's word for level 2; level 3 claims beyond every certificate are not believed.
            if (claim.rank() == 3) {
                throw new LightClientVerificationException(LightClientVerificationException.Reason.HEADER_NOT_CERTIFIED,
                        "l1_final claimed for height " + answer.height() + ", above every certified height (" + certified.height() + ")");
            }
            return new TransactionConfirmation(hash, TransactionConfirmation.Level.HOTSHOT_FINAL, null, claim, node.base());
        }
        BlockHeader header = verifiedHeader(node, answer.height(), certified);
        Transaction tx = verifier.verifyTransaction(header, answer);
        if (!tx.hash().equals(hash)) {
            throw new LightClientVerificationException(LightClientVerificationException.Reason.MALFORMED_ANSWER,
                    "asked for transaction " + hash + ", got " + tx.hash());
        }
        if (header.view().value() != claim.view()) {
            throw new LightClientVerificationException(LightClientVerificationException.Reason.MALFORMED_ANSWER,
                    "transaction at height " + answer.height() + " claims view " + claim.view() + ", its certified header has view "
                            + header.view().value());
        }
        VerifiedTransaction proven = new VerifiedTransaction(answer.height(), answer.index(), tx);
        TransactionConfirmation.Level level = claim.rank() == 3 ? TransactionConfirmation.Level.L1_FINAL
                : TransactionConfirmation.Level.HOTSHOT_FINAL;
        return new TransactionConfirmation(hash, level, proven, claim, node.base());
    }

    /** The last lies seen (at most {@value #MAX_LIES_KEPT}), for operators to see which node misbehaved. */
    public synchronized List<LightClientVerificationException> rejectedAnswers() {
        return List.copyOf(lies);
    }

    private void recordLie(LightClientVerificationException e) {
        if (lies.size() == MAX_LIES_KEPT) {
            lies.removeFirst();
        }
        lies.add(e);
    }

    /** Admits every epoch up to the one of {@code answer}'s height, each through its handover from {@code node}. */
    private void followEpochs(NodeFollower node, LightClientAnswer answer) {
        var epochs = verifier.epochs().orElse(null);
        if (epochs == null || answer.state() == null || answer.state().height() < 0) return;
        long target = epochs.schedule().epochOf(answer.state().height());
        for (int i = 0; i < MAX_HANDOVERS_PER_CALL && epochs.latestEpoch() < target; i++) {
            verifier.acceptEpoch(node.epoch(epochs.latestEpoch() + 1));
        }
    }

    private BlockHeader verifiedHeader(NodeFollower node, long height, CertifiedState preferred) {
        BlockAnswer answer = node.block(height, preferred.height());
        CertifiedState against = preferred;
        if (answer.certifiedHeight() != null && answer.certifiedHeight() != preferred.height()) {
            against = stateAt(node, answer.certifiedHeight());
        }
        return verifier.verifyBlock(against, answer, height);
    }

    /** A verified state at {@code height}, from the cache or fetched from {@code node}. */
    private CertifiedState stateAt(NodeFollower node, long height) {
        CertifiedState s = states.get(height);
        if (s == null) {
            s = verifier.verifyLightClient(node.lightClient(height));
            if (s.height() != height) {
                throw new LightClientVerificationException(LightClientVerificationException.Reason.MALFORMED_ANSWER,
                        "asked for the state of height " + height + ", got " + s.height());
            }
            states.put(height, s);
        }
        return s;
    }

    private <T> T fromAnyNode(Function<NodeFollower, T> ask, String what) {
        List<RuntimeException> failures = new ArrayList<>();
        for (NodeFollower node : nodes) {
            try {
                return ask.apply(node);
            } catch (LightClientVerificationException e) {
                recordLie(e);
                failures.add(e);
            } catch (NodeUnavailableException e) {
                failures.add(e);
            }
        }
        throw combined(failures, "no node proved " + what);
    }

    private static RuntimeException combined(List<RuntimeException> failures, String what) {
        RuntimeException first = failures.stream().filter(LightClientVerificationException.class::isInstance).findFirst()
                .orElse(failures.isEmpty() ? new NodeUnavailableException(what, 0, null) : failures.getFirst());
        for (RuntimeException f : failures) {
            if (f != first) {
                first.addSuppressed(f);
            }
        }
        return first;
    }
}
