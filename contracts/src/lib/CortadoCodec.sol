// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title The canonical Cortado encodings (docs/architecture.md, "Canonical encodings")
/// @notice Domain tags, signed digests, stake-table leaves and commitment, keccak Merkle trees.
///         Every function here has a Java twin in dev.cortado.protocol.codec; golden vectors in
///         contracts/test/vectors/ hold the two sides together.
library CortadoCodec {
    bytes32 internal constant TAG_QUORUM_VOTE = keccak256("cortado/quorum-vote/v1");
    bytes32 internal constant TAG_TIMEOUT_VOTE = keccak256("cortado/timeout-vote/v1");
    bytes32 internal constant TAG_DA_VOTE = keccak256("cortado/da-vote/v1");
    bytes32 internal constant TAG_LC_STATE = keccak256("cortado/lc-state/v1");
    bytes32 internal constant TAG_POP = keccak256("cortado/pop/v1");
    bytes32 internal constant TAG_STAKE_LEAF = keccak256("cortado/stake-leaf/v1");
    bytes32 internal constant TAG_STAKE_TABLE = keccak256("cortado/stake-table/v1");
    bytes32 internal constant TAG_TX = keccak256("cortado/tx/v1");
    bytes32 internal constant TAG_NAMESPACE = keccak256("cortado/namespace/v1");
    bytes32 internal constant TAG_HEADER = keccak256("cortado/header/v1");
    bytes32 internal constant TAG_BLOCK_COMM = keccak256("cortado/block-comm/v1");

    /// @dev Deepest Merkle proof accepted: 2^32 leaves is far beyond any stake table.
    uint256 internal constant MAX_PROOF_DEPTH = 32;

    /// @notice The light-client state digest, the message every node signs on decide.
    function lightClientStateDigest(
        uint256 chainId,
        uint64 viewNumber,
        uint64 height,
        bytes32 blockCommRoot,
        bytes32 stakeTableComm
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(TAG_LC_STATE, chainId, viewNumber, height, blockCommRoot, stakeTableComm));
    }

    /// @notice The quorum-vote digest.
    function quorumVoteDigest(uint256 chainId, uint64 viewNumber, bytes32 leafCommitment)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(TAG_QUORUM_VOTE, chainId, viewNumber, leafCommitment));
    }

    /// @notice The timeout-vote digest.
    function timeoutVoteDigest(uint256 chainId, uint64 viewNumber) internal pure returns (bytes32) {
        return keccak256(abi.encode(TAG_TIMEOUT_VOTE, chainId, viewNumber));
    }

    /// @notice The DA-vote digest.
    function daVoteDigest(uint256 chainId, uint64 viewNumber, bytes32 payloadRoot, bytes32 vidRoot)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(TAG_DA_VOTE, chainId, viewNumber, payloadRoot, vidRoot));
    }

    /// @notice The proof-of-possession message: binds the L1 chain, the stake-table contract, the
    ///         registrant and the key, so a proof is good for one registration in one deployment.
    function popDigest(uint256 l1ChainId, address stakeTable, address registrant, bytes memory publicKey)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(TAG_POP, l1ChainId, stakeTable, registrant, keccak256(publicKey)));
    }

    /// @notice One stake-table leaf.
    function stakeLeaf(uint256 index, bytes memory publicKey, uint256 stakeGwei, bool isDa)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(TAG_STAKE_LEAF, index, keccak256(publicKey), stakeGwei, isDa));
    }

    /// @notice The stake-table commitment over its Merkle root, size, total stake and aggregate key.
    function stakeTableCommitment(bytes32 root, uint256 count, uint256 totalStakeGwei, bytes memory aggKey)
        internal
        pure
        returns (bytes32)
    {
        return stakeTableCommitment(root, count, totalStakeGwei, keccak256(aggKey));
    }

    /// @notice `stakeTableCommitment` from the aggregate key's keccak, for a caller that hashes the key
    ///         where it lies (the light client hashes it in calldata instead of copying it first).
    function stakeTableCommitment(bytes32 root, uint256 count, uint256 totalStakeGwei, bytes32 aggKeyHash)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(TAG_STAKE_TABLE, root, count, totalStakeGwei, aggKeyHash));
    }

    /// @notice The depth of the padded tree over `count` leaves (0 for one leaf).
    function treeDepth(uint256 count) internal pure returns (uint256 depth) {
        uint256 width = 1;
        while (width < count) {
            width <<= 1;
            ++depth;
        }
    }

    /// @notice Merkle root of `leaves`, padded with zero leaves to the next power of two.
    /// @dev Works in place on a copy; the root of no leaves is zero.
    function merkleRoot(bytes32[] memory leaves) internal pure returns (bytes32) {
        uint256 n = leaves.length;
        if (n == 0) return bytes32(0);
        uint256 width = 1;
        while (width < n) width <<= 1;
        bytes32[] memory level = new bytes32[](width);
        for (uint256 i = 0; i < n; ++i) {
            level[i] = leaves[i];
        }
        while (width > 1) {
            width >>= 1;
            for (uint256 i = 0; i < width; ++i) {
                level[i] = hashPair(level[2 * i], level[2 * i + 1]);
            }
        }
        return level[0];
    }

    /// @notice Recomputes the root from a leaf, its index and the sibling path from the leaf upward.
    function rootFromProof(bytes32 leaf, uint256 index, bytes32[] memory proof) internal pure returns (bytes32 node) {
        node = leaf;
        for (uint256 k = 0; k < proof.length; ++k) {
            node = ((index >> k) & 1) == 1 ? hashPair(proof[k], node) : hashPair(node, proof[k]);
        }
    }

    /// @notice keccak256(left || right).
    function hashPair(bytes32 left, bytes32 right) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, left)
            mstore(0x20, right)
            h := keccak256(0x00, 0x40)
        }
    }
}
