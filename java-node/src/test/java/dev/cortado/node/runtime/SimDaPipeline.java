package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The simulator's door into the node's real {@link BlockPipeline} and its {@link DaLedger}: a simulated
 * replica tells it what a node's DA layer would (a proposal passed the cheap checks, this replica's share
 * arrived, a DA certificate arrived, the view moved) and gets back whether the core may now be told
 * {@code DataAvailable}. Every rule on the way (view window, blocks per view, held certificates per sender,
 * the negative cache, signal once) is the node's own code. The pipeline's header and transaction rules are
 * not exercised here, only its DA state, and its chain port refuses to be read; in a market run the block's
 * content is judged after this says yes, by {@link SimMarketGate}.
 *
 * <p>Shares cannot be authenticated on their own in the simulator (in the node they travel inside the
 * proposal message), so a share for a block not tracked yet waits in its sender's single slot.
 */
public final class SimDaPipeline {
    private final BlockPipeline pipeline;
    private final DaLedger ledger;
    private final Bytes32[] heldShares;

    /**
     * @param certValid the simulator's stand-in for the committee's aggregate check: (header view and block
     *     commitment as the header's payloadRoot, certificate signature) → valid
     */
    public SimDaPipeline(int replicas, BiPredicate<BlockHeader, byte[]> certValid) {
        this.pipeline = new BlockPipeline(new RefusingChain(), 0, 0);
        this.ledger = new DaLedger(replicas, true, (header, cert) -> certValid.test(header, cert.signature())
                ? Optional.empty() : Optional.of("certificate signature does not verify"));
        pipeline.attachDa(ledger);
        this.heldShares = new Bytes32[replicas];
    }

    /** The header the simulator stands in for a leaf's block: the block commitment as its payloadRoot. */
    public static BlockHeader headerOf(Leaf leaf) {
        return new BlockHeader(leaf.height(), leaf.view(), leaf.parentCommitment(), 0, 0, leaf.blockCommitment(),
                Bytes32.ZERO, Bytes32.ZERO, 0, Bytes32.ZERO);
    }

    public void viewIs(long view) {
        pipeline.handle(new PipelineInput.ViewIs(view), 0);
    }

    /**
     * The proposal of {@code leaf} from {@code from} passed the screen (leader, signature): its block is
     * tracked, and a share the sender sent first is applied. True when the core may be told now.
     */
    public boolean proposed(int from, Leaf leaf) {
        Optional<DaLedger.Entry> e = ledger.track(leaf.blockCommitment(), headerOf(leaf));
        if (e.isEmpty()) {
            return false;
        }
        e.get().leaf = leaf;
        Bytes32 held = from >= 0 && from < heldShares.length ? heldShares[from] : null;
        if (held != null && held.equals(leaf.blockCommitment())) {
            heldShares[from] = null;
            ledger.shareOk(e.get(), leaf);
        }
        return ledger.readyToSignal(e.get());
    }

    /** This replica's own share of the block arrived from {@code from}. True when the core may be told. */
    public boolean share(int from, Bytes32 blockCommitment) {
        Optional<DaLedger.Entry> e = ledger.get(blockCommitment);
        if (e.isEmpty()) {
            if (from >= 0 && from < heldShares.length) {
                heldShares[from] = blockCommitment;
            }
            return false;
        }
        ledger.shareOk(e.get(), e.get().leaf);
        return ledger.readyToSignal(e.get());
    }

    /** A DA certificate for {@code blockCommitment} arrived from {@code from}. True when the core may be told. */
    public boolean certificate(int from, Bytes32 blockCommitment, byte[] signature) {
        DaLedger.CertOutcome outcome = ledger.onCert(from, new NodeMessage.DaCertMsg(blockCommitment, new byte[0],
                signature));
        if (!(outcome instanceof DaLedger.CertOutcome.Accepted)) {
            return false;
        }
        return ledger.get(blockCommitment).map(ledger::readyToSignal).orElse(false);
    }

    /** The leaf of a tracked block (the proposal that made the pipeline track it), or null. */
    public Leaf leafOf(Bytes32 blockCommitment) {
        return ledger.get(blockCommitment).map(e -> e.leaf).orElse(null);
    }

    public int trackedCount() {
        return ledger.trackedCount();
    }

    public long certVerifications() {
        return ledger.certVerifications();
    }

    private static final class RefusingChain implements ChainView {
        private static UnsupportedOperationException refuse() {
            return new UnsupportedOperationException("the simulator drives only the pipeline's DA state");
        }

        @Override
        public Leaf knownLeaf(Bytes32 leafCommitment) {
            throw refuse();
        }

        @Override
        public long decidedCount() {
            throw refuse();
        }

        @Override
        public Bytes32 decidedTip() {
            throw refuse();
        }

        @Override
        public Bytes32 blockCommRoot(List<Bytes32> undecidedAncestors) {
            throw refuse();
        }

        @Override
        public boolean isDecided(Bytes32 txHash) {
            throw refuse();
        }

        @Override
        public long decidedTimestampMs(long height) {
            throw refuse();
        }

        @Override
        public long decidedL1Head(long height) {
            throw refuse();
        }
    }
}
