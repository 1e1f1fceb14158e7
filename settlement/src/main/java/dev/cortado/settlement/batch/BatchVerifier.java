package dev.cortado.settlement.batch;

import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.NamespaceTable;
import dev.cortado.protocol.block.ProofVerificationException;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchDecodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a decoded batch against roots that LightClient.sol certified: every height of the range has
 * an entry, each header is in the chain certified at its anchor, each posted namespace's
 * transactions are exactly what the header's {@code payloadRoot} commits to, and no namespace in
 * the batch's scope is left out. Used by the reader on L1 data and by the poster on what it is about
 * to post. Pure: the roots come from the caller.
 */
public final class BatchVerifier {

    /** The certified {@code blockCommRoot} of a LightClient state, by height; empty when L1 has none. */
    @FunctionalInterface
    public interface AnchorRoots {
        Optional<Bytes32> rootAt(long anchorHeight);
    }

    /** Why a batch was refused. */
    public enum Reason { MALFORMED, ANCHOR_NOT_CERTIFIED, HEADER_NOT_CERTIFIED, NAMESPACE_PROOF, SCOPE }

    public static final class BatchVerificationException extends RuntimeException {
        private final Reason reason;

        public BatchVerificationException(Reason reason, String message) {
            super(reason + ": " + message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** One verified height: its header and the posted namespaces' transactions. */
    public record VerifiedBlock(BlockHeader header, List<BatchContent.Namespace> namespaces) {
    }

    /** A verified batch: its scope and every height of its range in order. */
    public record VerifiedBatch(long firstHeight, long lastHeight, long scopeNamespace, List<VerifiedBlock> blocks) {
        /** The namespace's transactions at each height, or a SCOPE refusal when the batch does not post it. */
        public List<byte[]> transactions(long namespace, long height) {
            if (scopeNamespace != BlockWitness.ALL_NAMESPACES && scopeNamespace != namespace) {
                throw new BatchVerificationException(Reason.SCOPE, "batch " + firstHeight + ".." + lastHeight
                        + " posts only namespace " + scopeNamespace + ", not " + namespace);
            }
            VerifiedBlock b = blocks.get(Math.toIntExact(height - firstHeight));
            return b.namespaces().stream().filter(n -> n.id() == namespace).findFirst()
                    .map(BatchContent.Namespace::transactions).orElse(List.of());
        }
    }

    private final long chainId;

    /** @param chainId the HotShot chain id (LightClient.sol's {@code hotShotChainId()}) */
    public BatchVerifier(long chainId) {
        this.chainId = chainId;
    }

    public VerifiedBatch verify(BatchContent content, AnchorRoots roots) {
        long count = content.lastHeight() - content.firstHeight() + 1;
        if (content.blocks().size() != count) {
            throw new BatchVerificationException(Reason.MALFORMED, "batch " + content.firstHeight() + ".."
                    + content.lastHeight() + " has " + content.blocks().size() + " entries, one per height is required");
        }
        List<VerifiedBlock> out = new ArrayList<>(content.blocks().size());
        Long scope = null;
        for (BatchContent.Block b : content.blocks()) {
            BlockWitness w;
            try {
                w = BlockWitness.decode(b.witness());
            } catch (BatchDecodeException | IllegalArgumentException e) {
                throw new BatchVerificationException(Reason.MALFORMED, "height " + b.height() + ": " + e.getMessage());
            }
            if (scope == null) {
                scope = w.scopeNamespace();
            } else if (scope != w.scopeNamespace()) {
                throw new BatchVerificationException(Reason.SCOPE, "height " + b.height() + " has scope "
                        + w.scopeNamespace() + ", the batch started with " + scope);
            }
            out.add(verifyBlock(b, w, roots));
        }
        return new VerifiedBatch(content.firstHeight(), content.lastHeight(), scope, out);
    }

    private VerifiedBlock verifyBlock(BatchContent.Block b, BlockWitness w, AnchorRoots roots) {
        BlockHeader header = w.header();
        long h = b.height();
        if (header.height().value() != h) {
            throw new BatchVerificationException(Reason.MALFORMED, "entry " + h + " carries header " + header.height().value());
        }
        if (w.anchorHeight() < h || w.anchorHeight() >= Integer.MAX_VALUE) {
            throw new BatchVerificationException(Reason.MALFORMED, "height " + h + " anchored at " + w.anchorHeight());
        }
        Bytes32 root = roots.rootAt(w.anchorHeight()).orElseThrow(() -> new BatchVerificationException(
                Reason.ANCHOR_NOT_CERTIFIED, "LightClient has no certified state of height " + w.anchorHeight()));
        long leaves = w.anchorHeight() + 1;
        MerkleProof headerProof;
        try {
            headerProof = new MerkleProof((int) h, (int) leaves, w.headerSiblings());
        } catch (IllegalArgumentException e) {
            throw new BatchVerificationException(Reason.MALFORMED, "height " + h + " header path: " + e.getMessage());
        }
        if (!BlockCommitmentLog.verify(root, leaves, header.commitment(chainId), headerProof)) {
            throw new BatchVerificationException(Reason.HEADER_NOT_CERTIFIED, "header " + h + " is not in the chain"
                    + " LightClient certified at height " + w.anchorHeight());
        }
        byte[] table = w.nsTable();
        NamespaceTable parsed = committedTable(table, header);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            long id = parsed.namespace(i).value();
            if (w.scopeNamespace() == BlockWitness.ALL_NAMESPACES || w.scopeNamespace() == id) expected.add(id);
        }
        List<Long> got = b.namespaces().stream().map(BatchContent.Namespace::id).toList();
        if (!got.equals(expected)) {
            throw new BatchVerificationException(Reason.SCOPE, "height " + h + " posts namespaces " + got
                    + ", the committed table in scope has " + expected);
        }
        if (w.nsPaths().size() != got.size()) {
            throw new BatchVerificationException(Reason.MALFORMED, "height " + h + " has " + w.nsPaths().size()
                    + " namespace paths for " + got.size() + " namespaces");
        }
        for (int i = 0; i < got.size(); i++) {
            BatchContent.Namespace ns = b.namespaces().get(i);
            NamespaceId id = NamespaceId.of(ns.id());
            int index = parsed.indexOf(id).orElseThrow();
            try {
                List<Transaction> txs = ns.transactions().stream().map(t -> new Transaction(id, t)).toList();
                new NamespaceProof(id, table, txs, new MerkleProof(index, parsed.size(), w.nsPaths().get(i))).verify(header);
            } catch (ProofVerificationException | IllegalArgumentException e) {
                throw new BatchVerificationException(Reason.NAMESPACE_PROOF, "height " + h + ", namespace " + ns.id()
                        + ": " + e.getMessage());
            }
        }
        return new VerifiedBlock(header, b.namespaces());
    }

    /** The table must hash to the header's nsTableComm and cover exactly its payloadBytes. */
    private static NamespaceTable committedTable(byte[] table, BlockHeader header) {
        long h = header.height().value();
        if (!Keccak.hash(table).equals(header.nsTableComm())) {
            throw new BatchVerificationException(Reason.NAMESPACE_PROOF, "height " + h
                    + ": namespace table does not match the header's nsTableComm");
        }
        NamespaceTable parsed;
        try {
            parsed = NamespaceTable.decode(table);
        } catch (IllegalArgumentException e) {
            throw new BatchVerificationException(Reason.NAMESPACE_PROOF, "height " + h + ": committed table is malformed: "
                    + e.getMessage());
        }
        if (parsed.payloadBytes() != header.payloadBytes()) {
            throw new BatchVerificationException(Reason.NAMESPACE_PROOF, "height " + h + ": table covers "
                    + parsed.payloadBytes() + " bytes, the header says " + header.payloadBytes());
        }
        return parsed;
    }
}
