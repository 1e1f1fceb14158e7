// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BLS12381} from "./lib/BLS12381.sol";
import {AbsentSigners} from "./lib/AbsentSigners.sol";
import {CortadoCodec} from "./lib/CortadoCodec.sol";

/// @title LightClient
/// @notice Records HotShot finality on L1. A new state is accepted when an aggregate BLS signature
///         (min-sig, verified with the EIP-2537 precompiles) by more than 2/3 of the current stake
///         table's stake signs its digest. The certificate passes the whole table's aggregate key
///         (checked against the stored commitment) and subtracts each non-signer, all of them proven
///         members by one Merkle multiproof (lib/AbsentSigners.sol), so an update where everyone signs
///         costs one pairing check and no key data.
/// @dev The signed state's stakeTableComm names the table that certifies the next update; when it
///      differs from the current one, the table rotates once this update (certified by the current
///      table) is accepted.
contract LightClient is Ownable2Step {
    struct LightClientState {
        uint64 viewNumber;
        uint64 height;
        bytes32 blockCommRoot;
        bytes32 stakeTableComm;
    }

    struct StakeTableSummary {
        bytes aggKey;
        bytes32 root;
        uint256 count;
        uint256 totalStakeGwei;
    }

    /// @dev One retained update: slot 1 packs the heights and the L1 position, slot 2 is the root.
    struct Entry {
        uint64 height;
        uint64 viewNumber;
        uint64 l1Block;
        uint64 l1Timestamp;
        bytes32 blockCommRoot;
    }

    uint256 private immutable _hotShotChainId;
    uint256 private immutable _capacity;

    /// @dev The latest state's view, height and L1 block and the ring position, in one word: an update
    ///      reads it once for the replay check and the same-block rule and writes it once, without
    ///      reading the newest entry. `proverOn` tells whether `_prover` must be read at all, so the
    ///      open mode never touches that slot.
    struct Head {
        uint64 latestView;
        uint64 latestHeight;
        uint56 latestL1Block;
        uint32 newest;
        uint32 size;
        bool proverOn;
    }

    /// @dev Ring buffer of certified states, at most one per L1 block: a second update in the same
    ///      block replaces the first, so flushing the ring takes `_capacity` L1 blocks, and the
    ///      history always covers at least the last `_capacity` L1 blocks with updates. `newest` is
    ///      the physical slot of the latest entry and `size` how many are retained.
    mapping(uint256 slot => Entry) private _history;
    Head private _head;
    address private _prover;
    bytes32 private _stakeTableComm;

    /// @notice A certified state was recorded.
    event StateFinalized(uint64 indexed viewNumber, uint64 indexed height, bytes32 blockCommRoot, bytes32 stakeTableComm);
    /// @notice The stake table rotated to `newComm`, certified by the table `oldComm`.
    event StakeTableRotated(bytes32 indexed oldComm, bytes32 indexed newComm, uint64 height);
    /// @notice Permissioned-prover mode now admits only `prover`.
    event PermissionedProverSet(address indexed prover);
    /// @notice Permissioned-prover mode was switched off: anyone may submit certificates.
    event PermissionedProverDisabled();

    error LightClient__ProverNotPermissioned(address caller);
    error LightClient__StaleState(uint64 latestView, uint64 latestHeight, uint64 viewNumber, uint64 height);
    error LightClient__WrongStakeTable(bytes32 expected, bytes32 got);
    error LightClient__InvalidSignature(bytes32 digest);
    error LightClient__BadKeyLength(uint256 length);
    error LightClient__HeightNotCertified(uint64 height, uint64 latestHeight);
    error LightClient__InsufficientHistory(uint256 l1Block, uint256 oldestRetainedL1Block);
    error LightClient__FutureL1Block(uint256 l1Block, uint256 currentL1Block);
    error LightClient__ZeroAddress();
    error LightClient__BadCapacity(uint256 capacity);
    error LightClient__RenounceDisabled();

    /// @param owner_ may toggle the permissioned-prover mode
    /// @param hotShotChainId_ the HotShot network's chain id, part of every signed digest
    /// @param genesis the genesis state; its stakeTableComm is the first table's commitment
    /// @param historyCapacity_ how many certified states are retained (the retention window)
    /// @param prover the permissioned prover, or address(0) to start with the mode off
    constructor(
        address owner_,
        uint256 hotShotChainId_,
        LightClientState memory genesis,
        uint256 historyCapacity_,
        address prover
    ) Ownable(owner_) {
        if (historyCapacity_ < 2 || historyCapacity_ > type(uint32).max) revert LightClient__BadCapacity(historyCapacity_);
        _hotShotChainId = hotShotChainId_;
        _capacity = historyCapacity_;
        _stakeTableComm = genesis.stakeTableComm;
        _history[0] = Entry({
            height: genesis.height,
            viewNumber: genesis.viewNumber,
            l1Block: uint64(block.number),
            l1Timestamp: uint64(block.timestamp),
            blockCommRoot: genesis.blockCommRoot
        });
        _head = Head({
            latestView: genesis.viewNumber,
            latestHeight: genesis.height,
            latestL1Block: SafeCast.toUint56(block.number),
            newest: 0,
            size: 1,
            proverOn: prover != address(0)
        });
        _prover = prover;
        emit StateFinalized(genesis.viewNumber, genesis.height, genesis.blockCommRoot, genesis.stakeTableComm);
        if (prover != address(0)) emit PermissionedProverSet(prover);
    }

    /// @notice Accepts a new finalized state certified by more than 2/3 of the current table's stake.
    /// @param state the state every signer signed (its digest is lightClientStateDigest)
    /// @param table the current table's aggregate key, leaf root, size and total stake
    /// @param signature the aggregate G1 signature (128 bytes, EIP-2537)
    /// @param absent the table members who did not sign, packed in ascending index with one Merkle
    ///        multiproof to `table.root` (empty when everyone signed; format in lib/AbsentSigners.sol)
    function newFinalizedState(
        LightClientState calldata state,
        StakeTableSummary calldata table,
        bytes calldata signature,
        bytes calldata absent
    ) external {
        Head memory head = _head;
        if (head.proverOn && msg.sender != _prover) revert LightClient__ProverNotPermissioned(msg.sender);
        if (state.viewNumber <= head.latestView || state.height <= head.latestHeight) {
            revert LightClient__StaleState(head.latestView, head.latestHeight, state.viewNumber, state.height);
        }
        bytes32 currentComm = _stakeTableComm;
        _verifySignature(state, _signersKey(table, absent, currentComm), signature);

        _record(state, head);
        emit StateFinalized(state.viewNumber, state.height, state.blockCommRoot, state.stakeTableComm);
        if (state.stakeTableComm != currentComm) {
            _stakeTableComm = state.stakeTableComm;
            emit StakeTableRotated(currentComm, state.stakeTableComm, state.height);
        }
    }

    /// @dev The signers' aggregate key: the whole table's, checked against the stored commitment `currentComm`
    ///      (its key hashed where it lies in calldata), less each proven absent member's.
    function _signersKey(StakeTableSummary calldata table, bytes calldata absent, bytes32 currentComm)
        private
        view
        returns (bytes memory)
    {
        bytes calldata aggKey = table.aggKey;
        if (aggKey.length != BLS12381.G2_LEN) revert LightClient__BadKeyLength(aggKey.length);
        uint256 total = table.totalStakeGwei;
        bytes32 passedComm = CortadoCodec.stakeTableCommitment(table.root, table.count, total, keccak256(aggKey));
        if (passedComm != currentComm) revert LightClient__WrongStakeTable(currentComm, passedComm);
        if (absent.length != 0) return AbsentSigners.signersKey(aggKey, table.root, table.count, total, absent);
        // Everyone signed: 3·total > 2·total holds for every stake but none.
        if (total == 0) revert AbsentSigners.LightClient__InsufficientStake(0, 0);
        return aggKey;
    }

    /// @dev One entry per L1 block: a same-block update overwrites the newest entry in place. The entry's
    ///      first slot and the head are each built as one word and written with one SSTORE (field by field
    ///      the compiler re-reads and masks the word per field); bit layouts as the structs declare them,
    ///      first field lowest. Block numbers below 2^56 (checked) and timestamps below 2^64 fit their fields.
    function _record(LightClientState calldata state, Head memory head) private {
        uint256 l1Block = SafeCast.toUint56(block.number);
        uint256 slot = head.newest;
        uint256 size = head.size;
        if (head.latestL1Block != l1Block) {
            slot = slot + 1 == _capacity ? 0 : slot + 1;
            if (size < _capacity) size += 1;
        }
        uint256 viewNumber = state.viewNumber;
        uint256 height = state.height;
        uint256 meta = height | (viewNumber << 64) | (l1Block << 128) | (uint256(uint64(block.timestamp)) << 192);
        uint256 word = viewNumber | (height << 64) | (l1Block << 128) | (slot << 184) | (size << 216)
            | (head.proverOn ? 1 << 248 : 0);
        Entry storage entry = _history[slot];
        bytes32 root = state.blockCommRoot;
        assembly ("memory-safe") {
            sstore(entry.slot, meta)
            sstore(add(entry.slot, 1), root)
            sstore(_head.slot, word)
        }
    }

    /// @notice Ownership cannot be renounced: without an owner the prover mode could never change again.
    function renounceOwnership() public view override onlyOwner {
        revert LightClient__RenounceDisabled();
    }

    /// @notice Turns the permissioned-prover mode on (or changes the prover).
    /// @param prover the only account allowed to submit certificates
    function setPermissionedProver(address prover) external onlyOwner {
        if (prover == address(0)) revert LightClient__ZeroAddress();
        _prover = prover;
        _head.proverOn = true;
        emit PermissionedProverSet(prover);
    }

    /// @notice Turns the permissioned-prover mode off for good: anyone may submit certificates.
    function disablePermissionedProverMode() external onlyOwner {
        _prover = address(0);
        _head.proverOn = false;
        emit PermissionedProverDisabled();
    }

    /// @notice The latest certified state.
    function finalizedState() external view returns (uint64 viewNumber, uint64 height, bytes32 blockCommRoot) {
        Entry storage e = _history[_head.newest];
        return (e.viewNumber, e.height, e.blockCommRoot);
    }

    /// @notice The commitment of the table that certifies the next update.
    function stakeTableCommitment() external view returns (bytes32) {
        return _stakeTableComm;
    }

    /// @notice The HotShot chain id bound into every signed digest.
    function hotShotChainId() external view returns (uint256) {
        return _hotShotChainId;
    }

    /// @notice The permissioned prover (address(0) when the mode is off).
    function permissionedProver() external view returns (address) {
        return _prover;
    }

    /// @notice The retention window: how many certified states are kept.
    function historyCapacity() external view returns (uint256) {
        return _capacity;
    }

    /// @notice How many certified states are currently retained.
    function historySize() external view returns (uint256) {
        return _head.size;
    }

    /// @notice The first retained certified root whose height covers `height` (its root commits
    ///         to headers 0..certifiedHeight), with that height.
    /// @param height the HotShot height to cover
    function getHotShotCommitment(uint64 height) external view returns (bytes32 blockCommRoot, uint64 certifiedHeight) {
        uint64 latestHeight = _head.latestHeight;
        if (height > latestHeight) revert LightClient__HeightNotCertified(height, latestHeight);
        // Heights strictly increase along the ring: binary search the first entry >= height.
        uint256 lo = 0;
        uint256 hi = _head.size - 1;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (_at(mid).height >= height) hi = mid;
            else lo = mid + 1;
        }
        Entry storage e = _at(lo);
        return (e.blockCommRoot, e.height);
    }

    /// @notice Whether no update landed within `threshold` L1 blocks before `l1Block`: true when
    ///         `l1Block` minus the L1 block of the last update at or before it exceeds `threshold`.
    /// @param l1Block the L1 block to ask about (not in the future)
    /// @param threshold the escape-hatch threshold, in L1 blocks
    function lagOverEscapeHatchThreshold(uint256 l1Block, uint256 threshold) external view returns (bool) {
        if (l1Block > block.number) revert LightClient__FutureL1Block(l1Block, block.number);
        uint256 oldestL1 = _at(0).l1Block;
        if (l1Block < oldestL1) revert LightClient__InsufficientHistory(l1Block, oldestL1);
        // L1 blocks never decrease along the ring: binary search the last entry <= l1Block.
        uint256 lo = 0;
        uint256 hi = _head.size - 1;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            if (_at(mid).l1Block <= l1Block) lo = mid;
            else hi = mid - 1;
        }
        return l1Block - _at(lo).l1Block > threshold;
    }

    /// @notice The retained state at logical position `i` (0 = oldest retained).
    function historyAt(uint256 i)
        external
        view
        returns (uint64 viewNumber, uint64 height, bytes32 blockCommRoot, uint64 l1Block, uint64 l1Timestamp)
    {
        Entry storage e = _at(i);
        return (e.viewNumber, e.height, e.blockCommRoot, e.l1Block, e.l1Timestamp);
    }

    function _at(uint256 logical) private view returns (Entry storage) {
        Head storage head = _head;
        uint256 size = head.size;
        if (logical >= size) revert LightClient__InsufficientHistory(logical, size);
        uint256 oldest = (uint256(head.newest) + _capacity - (size - 1)) % _capacity;
        return _history[(oldest + logical) % _capacity];
    }

    function _verifySignature(LightClientState calldata state, bytes memory signersKey, bytes calldata signature)
        private
        view
    {
        bytes32 digest = CortadoCodec.lightClientStateDigest(
            _hotShotChainId, state.viewNumber, state.height, state.blockCommRoot, state.stakeTableComm
        );
        if (!BLS12381.verifyDigest(signature, signersKey, digest, BLS12381.DST_SIG)) {
            revert LightClient__InvalidSignature(digest);
        }
    }
}
