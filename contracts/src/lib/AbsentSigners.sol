// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BLS12381} from "./BLS12381.sol";
import {CortadoCodec} from "./CortadoCodec.sol";

/// @title The absent members of a light-client update, packed, with one Merkle multiproof
/// @notice Decodes and checks the `absent` argument of `LightClient.newFinalizedState`
///         (docs/architecture.md, "Light-client certificate calldata"), byte by byte:
///         empty when everyone signed, else
///         `uint16 k ‖ k × (uint16 index ‖ uint64 stakeGwei ‖ uint8 isDa ‖ 192-byte key) ‖ m × bytes32 sibling`.
///         The key is the EIP-2537 G2 point without the 16 zero bytes in front of each of its four
///         field elements. The siblings prove all k leaves at once, level by level from the leaves up
///         and by ascending node index within a level; nodes both of whose children are known are
///         computed, never sent.
/// @dev The errors keep the `LightClient__` prefix: they are reverts of `newFinalizedState`, and this
///      library exists only to keep LightClient.sol readable. Everything is internal (inlined).
library AbsentSigners {
    uint256 internal constant HEADER_LEN = 2;
    uint256 internal constant PACKED_KEY_LEN = 192;
    uint256 internal constant RECORD_LEN = 203; // 2 + 8 + 1 + PACKED_KEY_LEN

    error LightClient__AbsentCount(uint256 absentCount, uint256 tableCount);
    error LightClient__AbsentLength(uint256 absentCount, uint256 length);
    error LightClient__NonSignerOrder(uint256 previousIndex, uint256 index);
    error LightClient__NonSignerOutOfRange(uint256 index, uint256 count);
    error LightClient__NonSignerFlag(uint256 index, uint256 flag);
    error LightClient__MultiproofSiblings(uint256 needed, uint256 given);
    error LightClient__NonSignersNotInTable(bytes32 root, bytes32 computed);
    error LightClient__InsufficientStake(uint256 signedStakeGwei, uint256 totalStakeGwei);

    /// @notice The aggregate key of the signers: `aggKey` minus every proven absent member's key.
    ///         Also enforces `3·signed > 2·total`.
    /// @param aggKey the table's aggregate key (256 bytes, already bound to the stored commitment)
    /// @param root the table's leaf root, `count` its size, `totalStakeGwei` its stake (all committed)
    /// @param absent the packed absent members and their multiproof, see the title
    function signersKey(bytes calldata aggKey, bytes32 root, uint256 count, uint256 totalStakeGwei,
        bytes calldata absent) internal view returns (bytes memory)
    {
        if (absent.length == 0) {
            if (totalStakeGwei * 3 <= totalStakeGwei * 2) {
                revert LightClient__InsufficientStake(totalStakeGwei, totalStakeGwei);
            }
            return aggKey;
        }
        uint256 k = absent.length < HEADER_LEN ? 0 : uint16(bytes2(absent[0:2]));
        if (k == 0 || k > count) revert LightClient__AbsentCount(k, count);
        uint256 recordsEnd = HEADER_LEN + k * RECORD_LEN;
        if (absent.length < recordsEnd || (absent.length - recordsEnd) % 32 != 0) {
            revert LightClient__AbsentLength(k, absent.length);
        }
        // nodes[i] = (index, hash), rewritten in place one tree level at a time.
        bytes memory nodes = new bytes(k * 64);
        bytes memory buf = new bytes(2 * BLS12381.G2_LEN);
        uint256 missingStake = _leaves(absent[HEADER_LEN:recordsEnd], k, count, nodes, buf);
        bytes32 computed = _multiproofRoot(nodes, k, CortadoCodec.treeDepth(count), absent[recordsEnd:]);
        if (computed != root) revert LightClient__NonSignersNotInTable(root, computed);

        uint256 signed = totalStakeGwei >= missingStake ? totalStakeGwei - missingStake : 0;
        if (signed * 3 <= totalStakeGwei * 2) revert LightClient__InsufficientStake(signed, totalStakeGwei);
        return BLS12381.g2Add(aggKey, BLS12381.g2Neg(_firstHalf(buf)));
    }

    /// @dev Checks each record's index (strictly ascending, inside the table) and flag, writes its
    ///      leaf into `nodes`, sums the keys into the first half of `buf` and returns the stake absent.
    function _leaves(bytes calldata records, uint256 k, uint256 count, bytes memory nodes, bytes memory buf)
        private
        view
        returns (uint256 missingStake)
    {
        uint256 previous = 0;
        for (uint256 i = 0; i < k; ++i) {
            uint256 at;
            uint256 word;
            assembly ("memory-safe") {
                at := add(records.offset, mul(i, RECORD_LEN))
                word := calldataload(at)
            }
            uint256 index = word >> 240;
            uint256 stake = uint64(word >> 176);
            uint256 flag = uint8(word >> 168);
            if (i > 0 && index <= previous) revert LightClient__NonSignerOrder(previous, index);
            if (index >= count) revert LightClient__NonSignerOutOfRange(index, count);
            if (flag > 1) revert LightClient__NonSignerFlag(index, flag);
            bytes32 leaf = _leafInto(buf, index, at + 11, stake, flag);
            assembly ("memory-safe") {
                let node := add(add(nodes, 32), shl(6, i))
                mstore(node, index)
                mstore(add(node, 32), leaf)
            }
            missingStake += stake;
            _accumulate(buf, i == 0);
            previous = index;
        }
    }

    /// @dev Unpacks the key at calldata `keyAt` into the second half of `buf` (each 48-byte field
    ///      element behind its 16 zero bytes) and returns the stake leaf
    ///      `keccak256(abi.encode(TAG_STAKE_LEAF, index, keccak256(key), stake, isDa))`.
    function _leafInto(bytes memory buf, uint256 index, uint256 keyAt, uint256 stake, uint256 flag)
        private
        pure
        returns (bytes32 leaf)
    {
        bytes32 tag = CortadoCodec.TAG_STAKE_LEAF;
        assembly ("memory-safe") {
            let key := add(buf, 288)
            for { let j := 0 } lt(j, 4) { j := add(j, 1) } {
                let fe := add(key, shl(6, j))
                mstore(fe, 0)
                calldatacopy(add(fe, 16), add(keyAt, mul(j, 48)), 48)
            }
            let keyHash := keccak256(key, 256)
            // Five words past the free pointer, left unclaimed: scratch for this hash only.
            let p := mload(0x40)
            mstore(p, tag)
            mstore(add(p, 32), index)
            mstore(add(p, 64), keyHash)
            mstore(add(p, 96), stake)
            mstore(add(p, 128), flag)
            leaf := keccak256(p, 160)
        }
    }

    /// @dev The root from k sorted leaves and their multiproof. At each of `depth` levels the known
    ///      nodes (strictly ascending indexes) become their parents: two known siblings are hashed
    ///      together, a lone node takes the next sibling from `siblings`. Every sibling must be used
    ///      exactly once; a shortfall keeps counting (with zero siblings) so the error can say how
    ///      many were needed.
    function _multiproofRoot(bytes memory nodes, uint256 k, uint256 depth, bytes calldata siblings)
        private
        pure
        returns (bytes32 computed)
    {
        uint256 start;
        assembly ("memory-safe") {
            start := siblings.offset
        }
        uint256 end = start + siblings.length;
        uint256 next = start;
        assembly ("memory-safe") {
            let base := add(nodes, 32)
            for {} depth { depth := sub(depth, 1) } {
                let w := base
                let limit := add(base, shl(6, k))
                for { let r := base } lt(r, limit) { w := add(w, 64) } {
                    let index := mload(r)
                    mstore(0x00, mload(add(r, 32)))
                    // A left child whose right sibling is the next known node: hash the two.
                    switch and(and(iszero(and(index, 1)), lt(add(r, 64), limit)), eq(mload(add(r, 64)), add(index, 1)))
                    case 1 {
                        mstore(0x20, mload(add(r, 96)))
                        r := add(r, 128)
                    }
                    default {
                        let sibling := 0
                        if lt(next, end) { sibling := calldataload(next) }
                        next := add(next, 32)
                        switch and(index, 1)
                        case 1 {
                            mstore(0x20, mload(0x00))
                            mstore(0x00, sibling)
                        }
                        default { mstore(0x20, sibling) }
                        r := add(r, 64)
                    }
                    mstore(w, shr(1, index))
                    mstore(add(w, 32), keccak256(0x00, 0x40))
                }
                k := shr(6, sub(w, base))
            }
            computed := mload(add(base, 32))
        }
        if (next != end) revert LightClient__MultiproofSiblings((next - start) / 32, siblings.length / 32);
    }

    /// @dev The running sum of absent keys: the first key is copied, later ones are added with G2ADD
    ///      (forwarded exactly its price, see BLS12381).
    function _accumulate(bytes memory buf, bool first) private view {
        bool ok = true;
        assembly ("memory-safe") {
            let sum := add(buf, 32)
            switch first
            case 1 { mcopy(sum, add(sum, 256), 256) }
            default {
                ok := staticcall(600, 0x0d, sum, 512, sum, 256)
                if iszero(eq(returndatasize(), 256)) { ok := 0 }
            }
        }
        if (!ok) revert BLS12381.BLS12381__PrecompileFailed(address(0x0d));
    }

    function _firstHalf(bytes memory buf) private pure returns (bytes memory half) {
        half = buf;
        assembly ("memory-safe") {
            mstore(half, 256)
        }
    }
}
