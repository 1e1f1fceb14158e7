// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {BLS12381} from "./lib/BLS12381.sol";
import {CortadoCodec} from "./lib/CortadoCodec.sol";

/// @title LightClient
/// @notice Records HotShot finality on L1. A new state is accepted when an aggregate BLS signature
///         (min-sig, verified with the EIP-2537 precompiles) by more than 2/3 of the current stake
///         table's stake signs its digest. The certificate passes the whole table's aggregate key
///         (checked against the stored commitment) and subtracts each non-signer, proven a member by
///         a Merkle path, so an update where everyone signs costs one pairing check and no key data.
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

    struct NonSigner {
        uint256 index;
        bytes blsKey;
        uint256 stakeGwei;
        bool isDa;
        bytes32[] proof;
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

    /// @dev Ring buffer of certified states, at most one per L1 block: a second update in the same
    ///      block replaces the first, so flushing the ring takes `_capacity` L1 blocks, and the
    ///      history always covers at least the last `_capacity` L1 blocks with updates. `_newest` is
    ///      the physical slot of the latest entry and `_size` how many are retained.
    mapping(uint256 slot => Entry) private _history;
    // One slot: every update reads the prover and the ring position together.
    address private _prover;
    uint32 private _newest;
    uint32 private _size;
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
    error LightClient__NonSignerOrder(uint256 previousIndex, uint256 index);
    error LightClient__NonSignerOutOfRange(uint256 index, uint256 count);
    error LightClient__NonSignerProofLength(uint256 index, uint256 expected, uint256 got);
    error LightClient__NonSignerNotInTable(uint256 index);
    error LightClient__InsufficientStake(uint256 signedStakeGwei, uint256 totalStakeGwei);
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
        _newest = 0;
        _size = 1;
        _prover = prover;
        emit StateFinalized(genesis.viewNumber, genesis.height, genesis.blockCommRoot, genesis.stakeTableComm);
        if (prover != address(0)) emit PermissionedProverSet(prover);
    }

    /// @notice Accepts a new finalized state certified by more than 2/3 of the current table's stake.
    /// @param state the state every signer signed (its digest is lightClientStateDigest)
    /// @param table the current table's aggregate key, leaf root, size and total stake
    /// @param signature the aggregate G1 signature (128 bytes, EIP-2537)
    /// @param nonSigners the table members who did not sign, in ascending index, each with its
    ///        leaf data and Merkle path to `table.root`
    function newFinalizedState(
        LightClientState calldata state,
        StakeTableSummary calldata table,
        bytes calldata signature,
        NonSigner[] calldata nonSigners
    ) external {
        address prover = _prover;
        if (prover != address(0) && msg.sender != prover) revert LightClient__ProverNotPermissioned(msg.sender);
        Entry storage latest = _history[_newest];
        (uint64 latestView, uint64 latestHeight) = (latest.viewNumber, latest.height);
        if (state.viewNumber <= latestView || state.height <= latestHeight) {
            revert LightClient__StaleState(latestView, latestHeight, state.viewNumber, state.height);
        }
        bytes32 currentComm = _stakeTableComm;
        if (table.aggKey.length != BLS12381.G2_LEN) revert LightClient__BadKeyLength(table.aggKey.length);
        bytes32 passedComm =
            CortadoCodec.stakeTableCommitment(table.root, table.count, table.totalStakeGwei, table.aggKey);
        if (passedComm != currentComm) revert LightClient__WrongStakeTable(currentComm, passedComm);

        _verifySignature(state, _signersKey(table, nonSigners), signature);

        _record(state, latest.l1Block == block.number);
        emit StateFinalized(state.viewNumber, state.height, state.blockCommRoot, state.stakeTableComm);
        if (state.stakeTableComm != currentComm) {
            _stakeTableComm = state.stakeTableComm;
            emit StakeTableRotated(currentComm, state.stakeTableComm, state.height);
        }
    }

    /// @dev One entry per L1 block: a same-block update overwrites the newest entry in place.
    function _record(LightClientState calldata state, bool sameBlock) private {
        uint32 newest = _newest;
        uint32 slot = sameBlock ? newest : uint32((uint256(newest) + 1) % _capacity);
        _history[slot] = Entry({
            height: state.height,
            viewNumber: state.viewNumber,
            l1Block: uint64(block.number),
            l1Timestamp: uint64(block.timestamp),
            blockCommRoot: state.blockCommRoot
        });
        if (!sameBlock) {
            _newest = slot;
            if (_size < _capacity) _size += 1;
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
        emit PermissionedProverSet(prover);
    }

    /// @notice Turns the permissioned-prover mode off for good: anyone may submit certificates.
    function disablePermissionedProverMode() external onlyOwner {
        _prover = address(0);
        emit PermissionedProverDisabled();
    }

    /// @notice The latest certified state.
    function finalizedState() external view returns (uint64 viewNumber, uint64 height, bytes32 blockCommRoot) {
        Entry storage e = _history[_newest];
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
        return _size;
    }

    /// @notice The first retained certified root whose height covers `height` (its root commits
    ///         to headers 0..certifiedHeight), with that height.
    /// @param height the HotShot height to cover
    function getHotShotCommitment(uint64 height) external view returns (bytes32 blockCommRoot, uint64 certifiedHeight) {
        uint64 latestHeight = _history[_newest].height;
        if (height > latestHeight) revert LightClient__HeightNotCertified(height, latestHeight);
        // Heights strictly increase along the ring: binary search the first entry >= height.
        uint256 lo = 0;
        uint256 hi = _size - 1;
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
        uint256 hi = _size - 1;
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
        uint256 size = _size;
        if (logical >= size) revert LightClient__InsufficientHistory(logical, size);
        uint256 oldest = (uint256(_newest) + _capacity - (size - 1)) % _capacity;
        return _history[(oldest + logical) % _capacity];
    }

    function _verifySignature(LightClientState calldata state, bytes memory signersKey, bytes calldata signature)
        private
        view
    {
        bytes32 digest = CortadoCodec.lightClientStateDigest(
            _hotShotChainId, state.viewNumber, state.height, state.blockCommRoot, state.stakeTableComm
        );
        if (!BLS12381.verify(signature, signersKey, abi.encodePacked(digest), BLS12381.DST_SIG)) {
            revert LightClient__InvalidSignature(digest);
        }
    }

    /// @dev The aggregate key of the signers: the table's aggregate minus every proven non-signer.
    ///      Also enforces the > 2/3 stake threshold.
    function _signersKey(StakeTableSummary calldata table, NonSigner[] calldata nonSigners)
        private
        view
        returns (bytes memory)
    {
        uint256 count = table.count;
        uint256 depth = CortadoCodec.treeDepth(count);
        uint256 missingStake = 0;
        bytes memory missingKey;
        for (uint256 i = 0; i < nonSigners.length; ++i) {
            NonSigner calldata ns = nonSigners[i];
            if (i > 0 && ns.index <= nonSigners[i - 1].index) {
                revert LightClient__NonSignerOrder(nonSigners[i - 1].index, ns.index);
            }
            if (ns.index >= count) revert LightClient__NonSignerOutOfRange(ns.index, count);
            if (ns.proof.length != depth) revert LightClient__NonSignerProofLength(ns.index, depth, ns.proof.length);
            if (ns.blsKey.length != BLS12381.G2_LEN) revert LightClient__BadKeyLength(ns.blsKey.length);
            bytes32 leaf = CortadoCodec.stakeLeaf(ns.index, ns.blsKey, ns.stakeGwei, ns.isDa);
            if (CortadoCodec.rootFromProof(leaf, ns.index, ns.proof) != table.root) {
                revert LightClient__NonSignerNotInTable(ns.index);
            }
            missingStake += ns.stakeGwei;
            missingKey = i == 0 ? ns.blsKey : BLS12381.g2Add(missingKey, ns.blsKey);
        }
        uint256 total = table.totalStakeGwei;
        uint256 signed = total >= missingStake ? total - missingStake : 0;
        if (signed * 3 <= total * 2) revert LightClient__InsufficientStake(signed, total);
        if (nonSigners.length == 0) return table.aggKey;
        return BLS12381.g2Add(table.aggKey, BLS12381.g2Neg(missingKey));
    }
}
