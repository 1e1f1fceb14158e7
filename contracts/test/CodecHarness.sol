// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BLS12381} from "../src/lib/BLS12381.sol";
import {CortadoCodec} from "../src/lib/CortadoCodec.sol";

/// @title CodecHarness
/// @notice Test-only: exposes the BLS12-381 and codec libraries so the Java tests can hold them
///         against the golden vectors and the RFC 9380 test vectors.
contract CodecHarness {
    /// @notice The eleven domain tags, in the order of docs/architecture.md.
    function tags() external pure returns (bytes32[11] memory t) {
        t = [
            CortadoCodec.TAG_QUORUM_VOTE,
            CortadoCodec.TAG_TIMEOUT_VOTE,
            CortadoCodec.TAG_DA_VOTE,
            CortadoCodec.TAG_LC_STATE,
            CortadoCodec.TAG_POP,
            CortadoCodec.TAG_STAKE_LEAF,
            CortadoCodec.TAG_STAKE_TABLE,
            CortadoCodec.TAG_TX,
            CortadoCodec.TAG_NAMESPACE,
            CortadoCodec.TAG_HEADER,
            CortadoCodec.TAG_BLOCK_COMM
        ];
    }

    /// @notice RFC 9380 expand_message_xmd (SHA-256, 128 bytes).
    function expandMessageXmd(bytes calldata message, bytes calldata dst) external pure returns (bytes memory) {
        bytes32[4] memory u = BLS12381.expandMessageXmd(message, dst);
        return abi.encodePacked(u);
    }

    /// @notice RFC 9380 hash_to_curve into G1, EIP-2537 encoded.
    function hashToG1(bytes calldata message, bytes calldata dst) external view returns (bytes memory) {
        return BLS12381.hashToG1(message, dst);
    }

    /// @notice Min-sig BLS verification of `signature` by `publicKey` over `message`.
    function verify(bytes calldata signature, bytes calldata publicKey, bytes calldata message, bytes calldata dst)
        external
        view
        returns (bool)
    {
        return BLS12381.verify(signature, publicKey, message, dst);
    }

    /// @notice G2 addition.
    function g2Add(bytes calldata a, bytes calldata b) external view returns (bytes memory) {
        return BLS12381.g2Add(a, b);
    }

    /// @notice G2 negation.
    function g2Neg(bytes calldata a) external pure returns (bytes memory) {
        return BLS12381.g2Neg(a);
    }

    /// @notice The light-client state digest.
    function lightClientStateDigest(
        uint256 chainId,
        uint64 viewNumber,
        uint64 height,
        bytes32 blockCommRoot,
        bytes32 stakeTableComm
    ) external pure returns (bytes32) {
        return CortadoCodec.lightClientStateDigest(chainId, viewNumber, height, blockCommRoot, stakeTableComm);
    }

    /// @notice The quorum-vote digest.
    function quorumVoteDigest(uint256 chainId, uint64 viewNumber, bytes32 leafCommitment) external pure returns (bytes32) {
        return CortadoCodec.quorumVoteDigest(chainId, viewNumber, leafCommitment);
    }

    /// @notice The timeout-vote digest.
    function timeoutVoteDigest(uint256 chainId, uint64 viewNumber) external pure returns (bytes32) {
        return CortadoCodec.timeoutVoteDigest(chainId, viewNumber);
    }

    /// @notice The DA-vote digest.
    function daVoteDigest(uint256 chainId, uint64 viewNumber, bytes32 payloadRoot, bytes32 vidRoot)
        external
        pure
        returns (bytes32)
    {
        return CortadoCodec.daVoteDigest(chainId, viewNumber, payloadRoot, vidRoot);
    }

    /// @notice The proof-of-possession message.
    function popDigest(uint256 l1ChainId, address stakeTable, address registrant, bytes calldata publicKey)
        external
        pure
        returns (bytes32)
    {
        return CortadoCodec.popDigest(l1ChainId, stakeTable, registrant, publicKey);
    }

    /// @notice One stake-table leaf.
    function stakeLeaf(uint256 index, bytes calldata publicKey, uint256 stakeGwei, bool isDa)
        external
        pure
        returns (bytes32)
    {
        return CortadoCodec.stakeLeaf(index, publicKey, stakeGwei, isDa);
    }

    /// @notice The stake-table commitment.
    function stakeTableCommitment(bytes32 root, uint256 count, uint256 totalStakeGwei, bytes calldata aggKey)
        external
        pure
        returns (bytes32)
    {
        return CortadoCodec.stakeTableCommitment(root, count, totalStakeGwei, aggKey);
    }

    /// @notice Merkle root of the leaves.
    function merkleRoot(bytes32[] calldata leaves) external pure returns (bytes32) {
        return CortadoCodec.merkleRoot(leaves);
    }

    /// @notice Root recomputed from a leaf and its proof.
    function rootFromProof(bytes32 leaf, uint256 index, bytes32[] calldata proof) external pure returns (bytes32) {
        return CortadoCodec.rootFromProof(leaf, index, proof);
    }
}
