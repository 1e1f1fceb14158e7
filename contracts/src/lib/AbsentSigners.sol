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
        bytes calldata absent) internal view returns (bytes memory key)
    {
        uint256 k = absent.length < HEADER_LEN ? 0 : uint16(bytes2(absent[0:2]));
        if (k == 0 || k > count) revert LightClient__AbsentCount(k, count);
        // Unchecked below: k < 2^16 and every length is a calldata length, so nothing here can overflow.
        uint256 recordsEnd;
        uint256 nodes;
        uint256 sum;
        unchecked {
            recordsEnd = HEADER_LEN + k * RECORD_LEN;
            if (absent.length < recordsEnd || (absent.length - recordsEnd) % 32 != 0) {
                revert LightClient__AbsentLength(k, absent.length);
            }
            // One allocation, zeroed: k nodes (index, hash), rewritten in place one tree level at a time,
            // then the 512-byte key buffer [running sum | next key] at `sum`; the result is its first half.
            bytes memory work = new bytes(k * 64 + 2 * BLS12381.G2_LEN);
            assembly ("memory-safe") {
                nodes := add(work, 32)
                sum := add(nodes, shl(6, k))
            }
        }
        uint256 missingStake = _leaves(_offset(absent) + HEADER_LEN, nodes, count, sum);
        {
            bytes32 computed = _multiproofRoot(nodes, k, _depth(count), absent[recordsEnd:]);
            if (computed != root) revert LightClient__NonSignersNotInTable(root, computed);
        }
        uint256 signed = totalStakeGwei >= missingStake ? totalStakeGwei - missingStake : 0;
        if (signed * 3 <= totalStakeGwei * 2) revert LightClient__InsufficientStake(signed, totalStakeGwei);
        _subtractFrom(aggKey, sum);
        assembly ("memory-safe") {
            // The last node's word becomes the length word: the nodes are no longer needed.
            key := sub(sum, 32)
            mstore(key, 256)
        }
    }

    /// @dev `CortadoCodec.treeDepth` (ceil(log2(count)), count ≥ 1) without its checked loop.
    function _depth(uint256 count) private pure returns (uint256 depth) {
        assembly ("memory-safe") {
            for {} lt(shl(depth, 1), count) {} { depth := add(depth, 1) }
        }
    }

    function _offset(bytes calldata data) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := data.offset
        }
    }

    /// @dev One pass over the records: checks each index (strictly ascending, inside the table) and
    ///      flag, writes its leaf into `nodes`, sums the keys (G2ADD, forwarded exactly its price) into
    ///      the first half of `buf`, and returns the stake absent (k < 2^16 stakes < 2^64: no overflow).
    ///      Plain assembly, because this loop is most of a non-signer's execution gas; a failed check
    ///      leaves the loop with its code and values, and the revert is raised below.
    function _leaves(uint256 records, uint256 node, uint256 count, uint256 sum)
        private
        view
        returns (uint256 missingStake)
    {
        {
            bytes32 tag = CortadoCodec.TAG_STAKE_LEAF;
            assembly ("memory-safe") {
                // Five words past the free pointer, left unclaimed: the leaf preimage, tag written once.
                mstore(mload(0x40), tag)
            }
        }
        uint256 failure = 0;
        uint256 a;
        uint256 b;
        assembly ("memory-safe") {
            let p := mload(0x40)
            // previousPlusOne = 0 before the first record, so index 0 passes the order check.
            let previousPlusOne := 0
            // The nodes end where the key buffer begins.
            for {} lt(node, sum) { node := add(node, 64) } {
                let index := shr(240, calldataload(records))
                let flag := byte(10, calldataload(records))
                if lt(index, previousPlusOne) {
                    failure := 1
                    a := sub(previousPlusOne, 1)
                    b := index
                    break
                }
                if iszero(lt(index, count)) {
                    failure := 2
                    a := index
                    b := count
                    break
                }
                if gt(flag, 1) {
                    failure := 3
                    a := index
                    b := flag
                    break
                }
                // Each 48-byte field element behind its 16 zero bytes: the 256-byte EIP-2537 form. The
                // pads stay zero from the allocation: nothing else writes the buffer's second half.
                calldatacopy(add(sum, 272), add(records, 11), 48)
                calldatacopy(add(sum, 336), add(records, 59), 48)
                calldatacopy(add(sum, 400), add(records, 107), 48)
                calldatacopy(add(sum, 464), add(records, 155), 48)
                // leaf = keccak256(abi.encode(TAG_STAKE_LEAF, index, keccak256(key), stake, isDa))
                let stake := and(shr(176, calldataload(records)), 0xffffffffffffffff)
                mstore(add(p, 32), index)
                mstore(add(p, 64), keccak256(add(sum, 256), 256))
                mstore(add(p, 96), stake)
                mstore(add(p, 128), flag)
                mstore(node, index)
                mstore(add(node, 32), keccak256(p, 160))
                missingStake := add(missingStake, stake)
                switch previousPlusOne
                case 0 { mcopy(sum, add(sum, 256), 256) }
                default {
                    // Two statements: Yul evaluates arguments right to left, returndatasize() first.
                    let ok := staticcall(600, 0x0d, sum, 512, sum, 256)
                    if iszero(and(ok, eq(returndatasize(), 256))) {
                        failure := 4
                        break
                    }
                }
                previousPlusOne := add(index, 1)
                records := add(records, RECORD_LEN)
            }
        }
        if (failure == 1) revert LightClient__NonSignerOrder(a, b);
        if (failure == 2) revert LightClient__NonSignerOutOfRange(a, b);
        if (failure == 3) revert LightClient__NonSignerFlag(a, b);
        if (failure == 4) revert BLS12381.BLS12381__PrecompileFailed(address(0x0d));
    }

    /// @dev Turns the 512 bytes at `sum` ([sum | …]) into `aggKey − sum` in its first half: negates the
    ///      sum in place, moves it behind a copy of `aggKey` and adds the two with one G2ADD.
    function _subtractFrom(bytes calldata aggKey, uint256 sum) private view {
        BLS12381.negateG2At(sum);
        bool ok;
        assembly ("memory-safe") {
            mcopy(add(sum, 256), sum, 256)
            calldatacopy(sum, aggKey.offset, 256)
            ok := staticcall(600, 0x0d, sum, 512, sum, 256)
            ok := and(ok, eq(returndatasize(), 256))
        }
        if (!ok) revert BLS12381.BLS12381__PrecompileFailed(address(0x0d));
    }

    /// @dev The root from k sorted leaves and their multiproof. At each of `depth` levels the known
    ///      nodes (strictly ascending indexes) become their parents: two known siblings are hashed
    ///      together, a lone node takes the next sibling from `siblings`. Every sibling must be used
    ///      exactly once; a shortfall keeps counting so the error can say how many were needed.
    function _multiproofRoot(uint256 nodes, uint256 k, uint256 depth, bytes calldata siblings)
        private
        pure
        returns (bytes32 computed)
    {
        uint256 start = _offset(siblings);
        uint256 end = start + siblings.length;
        uint256 next = start;
        assembly ("memory-safe") {
            for {} depth { depth := sub(depth, 1) } {
                let w := nodes
                let limit := add(nodes, shl(6, k))
                for { let r := nodes } lt(r, limit) { w := add(w, 64) } {
                    let index := mload(r)
                    let pair := add(r, 64)
                    // A left child whose right sibling is the next known node: `or(index, 1)` is index + 1
                    // for an even index and index itself (never the next, larger, one) for an odd one.
                    switch and(lt(pair, limit), eq(mload(pair), or(index, 1)))
                    case 1 {
                        mstore(0x00, mload(add(r, 32)))
                        mstore(0x20, mload(add(r, 96)))
                        r := add(r, 128)
                    }
                    default {
                        // The node goes left (0x00) or right (0x20) by its index's low bit, the next
                        // given sibling opposite. Past the given ones calldataload reads on, but then
                        // the count check below reverts, so such a value never decides anything.
                        let at := shl(5, and(index, 1))
                        mstore(at, mload(add(r, 32)))
                        mstore(xor(at, 0x20), calldataload(next))
                        next := add(next, 32)
                        r := pair
                    }
                    mstore(w, shr(1, index))
                    mstore(add(w, 32), keccak256(0x00, 0x40))
                }
                k := shr(6, sub(w, nodes))
            }
            computed := mload(add(nodes, 32))
        }
        if (next != end) revert LightClient__MultiproofSiblings((next - start) / 32, siblings.length / 32);
    }
}
