package dev.cortado.settlement.batch;

import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.NamespaceTable;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.batch.codec.BatchContent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one decided block from the nodes' HTTP API and proves it against a root that
 * LightClient.sol certified: the header's path to the anchor's {@code blockCommRoot}, then each
 * namespace in scope against the header. A node whose answer does not prove is skipped (logged) and
 * the next one is asked; the entry it returns carries the witness a reader needs.
 */
public final class BlockCollector {
    private static final Logger LOG = LoggerFactory.getLogger(BlockCollector.class);
    /** A namespace id no real table holds, asked for to obtain the block's table without its bodies. */
    private static final NamespaceId TABLE_PROBE = NamespaceId.of(Long.MAX_VALUE);

    /** No node gave a provable answer for the height. */
    public static final class UnprovableBlockException extends RuntimeException {
        public UnprovableBlockException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final List<NodeFollower> nodes;
    private final long chainId;
    private final long scopeNamespace;

    /**
     * @param chainId the HotShot chain id the header commitments bind
     * @param scopeNamespace {@link BlockWitness#ALL_NAMESPACES} or the one namespace to post
     */
    public BlockCollector(List<NodeFollower> nodes, long chainId, long scopeNamespace) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("the collector needs at least one node");
        if (scopeNamespace < BlockWitness.ALL_NAMESPACES) throw new IllegalArgumentException("namespace " + scopeNamespace);
        this.nodes = List.copyOf(nodes);
        this.chainId = chainId;
        this.scopeNamespace = scopeNamespace;
    }

    /** The proven entry of {@code height}, anchored at the certified state {@code anchorHeight}. */
    public BatchContent.Block collect(long height, long anchorHeight, Bytes32 anchorRoot) {
        RuntimeException first = null;
        for (NodeFollower node : nodes) {
            try {
                return fromNode(node, height, anchorHeight, anchorRoot);
            } catch (RuntimeException e) {
                LOG.warn("node {} for height {}: {}", node.base(), height, e.getMessage());
                if (first == null) first = e;
            }
        }
        throw new UnprovableBlockException("no node proved height " + height + " against the certified state "
                + anchorHeight + ": " + first.getMessage(), first);
    }

    private BatchContent.Block fromNode(NodeFollower node, long height, long anchor, Bytes32 root) {
        BlockAnswer a = node.block(height, anchor);
        if (a.header() == null || a.headerProof() == null || a.certifiedHeight() == null || a.certifiedHeight() != anchor) {
            throw new IllegalStateException("block " + height + " is proven against " + a.certifiedHeight()
                    + ", the L1 anchor is " + anchor);
        }
        BlockHeader header = a.header().toHeader();
        MerkleProof proof = a.headerProof().toProof();
        if (header.height().value() != height || proof.index() != height || proof.leafCount() != anchor + 1
                || !BlockCommitmentLog.verify(root, anchor + 1, header.commitment(chainId), proof)) {
            throw new IllegalStateException("header " + header.height().value() + " does not prove against the root"
                    + " LightClient certified at " + anchor);
        }
        byte[] table;
        List<BatchContent.Namespace> namespaces = new ArrayList<>();
        List<List<Bytes32>> paths = new ArrayList<>();
        if (scopeNamespace != BlockWitness.ALL_NAMESPACES) {
            NamespaceProof p = provenNamespace(node, header, NamespaceId.of(scopeNamespace));
            table = p.nsTable();
            add(p, namespaces, paths);
        } else if (header.payloadBytes() == 0) {
            table = NamespaceTable.EMPTY.encode();
        } else {
            table = provenNamespace(node, header, TABLE_PROBE).nsTable();
            NamespaceTable t = NamespaceTable.decode(table);
            for (int i = 0; i < t.size(); i++) {
                NamespaceProof p = provenNamespace(node, header, t.namespace(i));
                if (!java.util.Arrays.equals(p.nsTable(), table)) {
                    throw new IllegalStateException("height " + height + ": the node served two namespace tables");
                }
                add(p, namespaces, paths);
            }
        }
        BlockWitness w = new BlockWitness(scopeNamespace, anchor, header, proof.siblings(), table, paths);
        return new BatchContent.Block(height, w.encode(), namespaces);
    }

    private static NamespaceProof provenNamespace(NodeFollower node, BlockHeader header, NamespaceId ns) {
        NamespaceAnswer answer = node.namespace(header.height().value(), ns);
        if (answer.height() != header.height().value() || answer.namespace() != ns.value()) {
            throw new IllegalStateException("asked for " + ns + " at " + header.height().value() + ", got ns"
                    + answer.namespace() + " at " + answer.height());
        }
        NamespaceProof p = answer.toProof();
        p.verify(header);
        return p;
    }

    private static void add(NamespaceProof p, List<BatchContent.Namespace> namespaces, List<List<Bytes32>> paths) {
        if (p.nsPath() == null) return; // proven absent: the table in the witness shows it
        namespaces.add(new BatchContent.Namespace(p.namespace().value(),
                p.transactions().stream().map(Transaction::payload).toList()));
        paths.add(p.nsPath().siblings());
    }
}
