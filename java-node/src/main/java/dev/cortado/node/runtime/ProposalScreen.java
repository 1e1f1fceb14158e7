package dev.cortado.node.runtime;

import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.EpochValidators;
import dev.cortado.node.consensus.MessageValidator;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cheap checks a proposal passes before its block is parsed, hashed or VID-encoded, cheapest
 * first: the sender is the proposer and leads the view (a comparison), then the leader's signature
 * (one pairing), then the view and height window. Only then may the block cost a full check, and
 * only one block per view. Pure: no I/O, clock or threads; the caller passes the current view, height and epoch.
 *
 * <p>A proposal is measured by the table of the epoch it names (who leads, whose signature), which its
 * signature binds. Only the core's epoch and its neighbours are screened: a proposal of any other epoch goes to the
 * core unchecked and without its block, since the core only answers it (with the handover proof the sender lacks,
 * or a request for the one this node lacks) and spends no crypto on it.
 */
final class ProposalScreen {
    /** A proposal this many views behind the current view is stale: its block is not checked. */
    static final long PAST_VIEWS = 8;
    /** Nor a proposal more views ahead than this (the core still sees it, to catch up on views). */
    static final long FUTURE_VIEWS = 64;
    /** Nor one above the next height by more than this: catch-up fetches decided blocks instead. */
    static final long FUTURE_HEIGHTS = 64;

    /** What to do with a proposal. */
    sealed interface Outcome {
        /** Check its block and hand it to the core. */
        record CheckBlock() implements Outcome {
        }

        /** Signed by its leader but outside the window or a repeat: the core sees it, its block is not checked. */
        record CoreOnly(String reason, boolean secondBlock) implements Outcome {
        }

        /** Of an epoch too far from the core's to screen: the core sees it (to answer it), its block is not checked. */
        record OtherEpoch(String reason) implements Outcome {
        }

        /** Forged or misrouted: dropped before any further work. */
        record Drop(Misbehaviour.Kind kind, String reason) implements Outcome {
        }
    }

    private final EpochValidators validators;
    /** The one block checked per view, pruned with the window. */
    private final TreeMap<Long, Bytes32> checkedByView = new TreeMap<>();
    private long signatureChecks;

    /** The screen of a network without epochs. */
    ProposalScreen(long chainId, StakeWeights stakes, ConsensusCrypto crypto) {
        this(ConsensusConfig.defaults(chainId, stakes), crypto);
    }

    ProposalScreen(ConsensusConfig config, ConsensusCrypto crypto) {
        this.validators = new EpochValidators(config, crypto);
    }

    /** As {@link #screen(int, Proposal, long, long, long)} for a network without epochs. */
    Outcome screen(int from, Proposal p, long currentView, long nextHeight) {
        return screen(from, p, currentView, nextHeight, 0);
    }

    /**
     * @param currentView the core's current view
     * @param nextHeight the height the next decided block will have
     * @param currentEpoch the core's epoch
     */
    Outcome screen(int from, Proposal p, long currentView, long nextHeight, long currentEpoch) {
        Optional<MessageValidator> forEpoch = Math.abs(p.epoch() - currentEpoch) <= 1
                ? validators.of(p.epoch()) : Optional.empty();
        if (forEpoch.isEmpty()) {
            return new Outcome.OtherEpoch("proposal of epoch " + p.epoch() + " while this node is in epoch " + currentEpoch);
        }
        MessageValidator validator = forEpoch.get();
        Optional<String> origin = validator.proposalOrigin(from, p);
        if (origin.isPresent()) {
            return new Outcome.Drop(Misbehaviour.Kind.PROPOSAL_NOT_FROM_LEADER, origin.get());
        }
        long view = p.leaf().view().value();
        long height = p.leaf().height().value();
        if (view < currentView - PAST_VIEWS) {
            // Too old to matter to the core either: no pairing spent on it.
            return new Outcome.Drop(Misbehaviour.Kind.PROPOSAL_STALE, "view " + view + " is long past " + currentView);
        }
        signatureChecks++;
        Optional<String> signature = validator.proposalSignature(p, p.leaf().commitment());
        if (signature.isPresent()) {
            return new Outcome.Drop(Misbehaviour.Kind.PROPOSAL_BAD_SIGNATURE, signature.get());
        }
        if (view > currentView + FUTURE_VIEWS || height > nextHeight + FUTURE_HEIGHTS) {
            return new Outcome.CoreOnly("view " + view + " / height " + height + " beyond the window of " + currentView
                    + " / " + nextHeight, false);
        }
        Bytes32 checked = checkedByView.get(view);
        Bytes32 block = p.leaf().blockCommitment();
        if (checked != null) {
            return new Outcome.CoreOnly("a block was checked in view " + view + " already", !checked.equals(block));
        }
        checkedByView.put(view, block);
        checkedByView.headMap(currentView - PAST_VIEWS).clear();
        return new Outcome.CheckBlock();
    }

    /** Views with a checked block still remembered; bounded by the window. */
    int rememberedViews() {
        return checkedByView.size();
    }

    /** Leader signatures verified so far (each a pairing check). */
    long signatureChecks() {
        return signatureChecks;
    }
}
