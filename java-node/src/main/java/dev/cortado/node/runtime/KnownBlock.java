package dev.cortado.node.runtime;

import dev.cortado.node.da.StoredShare;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.Optional;

/**
 * A proposed block as this node knows it: with its payload (a DA committee member, the leader, or a fetched
 * block), or only its header with the transaction hashes the header's payloadRoot commits to (a node outside
 * the committee). Either is enough to decide the block, to build on it and to check exactly-once against it.
 */
sealed interface KnownBlock {
    BlockHeader header();

    Bytes32 commitment();

    byte[] nsTable();

    /** Transaction hashes in payload order: namespaces in table order, each in block order. */
    List<Bytes32> txHashes();

    /** Transactions per namespace-table entry; they sum to {@code txHashes().size()}. */
    List<Integer> txCounts();

    /**
     * This node's VID share of the payload, at its position among the share holders of the block's epoch; empty
     * when this node holds no share in that epoch (no stake in its table).
     */
    Optional<StoredShare> ownShare();

    /** The bundles the block carries (its reserved namespace's records, decoded), in block order. */
    List<BundleRecord> bundles();

    /** The same records encoded, as they are hashed into the block and stored. */
    List<byte[]> bundleRecordBytes();

    /** The full block: payload, dispersal and every share; {@code me} is this node's universe index. */
    record Full(Blocks.Block block, int me) implements KnownBlock {
        @Override
        public BlockHeader header() {
            return block.header();
        }

        @Override
        public Bytes32 commitment() {
            return block.commitment();
        }

        @Override
        public byte[] nsTable() {
            return block.data().nsTable();
        }

        @Override
        public List<Bytes32> txHashes() {
            return block.txHashes();
        }

        @Override
        public List<Integer> txCounts() {
            return block.txCounts();
        }

        @Override
        public Optional<StoredShare> ownShare() {
            return block.shareOf(me);
        }

        @Override
        public List<BundleRecord> bundles() {
            return block.bundles();
        }

        @Override
        public List<byte[]> bundleRecordBytes() {
            return block.bundleRecordBytes();
        }
    }

    /** Header, namespace table, transaction hashes checked against payloadRoot, and this node's share if it holds one. */
    record HeaderOnly(BlockHeader header, Bytes32 commitment, byte[] nsTable, List<Integer> txCounts, List<Bytes32> txHashes,
            Optional<StoredShare> ownShare, List<BundleRecord> bundles) implements KnownBlock {
        public HeaderOnly {
            java.util.Objects.requireNonNull(ownShare, "ownShare (empty for no share)");
            txCounts = List.copyOf(txCounts);
            txHashes = List.copyOf(txHashes);
            bundles = List.copyOf(bundles);
        }

        @Override
        public List<byte[]> bundleRecordBytes() {
            return bundles.stream().map(BundleRecord::encode).toList();
        }
    }
}
