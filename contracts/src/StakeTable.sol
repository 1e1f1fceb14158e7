// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {BLS12381} from "./lib/BLS12381.sol";
import {CortadoCodec} from "./lib/CortadoCodec.sol";

/// @notice What StakeTable needs of the light client: the commitment of the table that signs its next update.
interface ICurrentStakeTable {
    function stakeTableCommitment() external view returns (bytes32);
}

/// @title StakeTable
/// @notice Nodes register a BLS12-381 G2 key with a proof of possession (one pairing check) and an
///         ETH stake in whole gwei. The active table is ordered by registration; exits leave it at
///         once. The stake is withdrawable after an escrow delay AND once the light client's current
///         table no longer holds it (see `withdraw`), so stake cannot leave while it still secures
///         certificates. `commitment()` returns the stake-table commitment in the encoding the Java
///         StakeTable computes.
contract StakeTable is ReentrancyGuard {
    enum Status {
        None,
        Active,
        Exiting,
        Withdrawn
    }

    struct Validator {
        address account;
        uint64 stakeGwei;
        bool isDa;
        Status status;
        uint32 prev;
        uint32 next;
        uint64 withdrawableAt;
        bytes32 keyHash;
    }

    uint256 private immutable _minStakeGwei;
    uint256 private immutable _exitEscrowSeconds;
    uint256 private immutable _maxValidators;
    ICurrentStakeTable private immutable _lightClient;

    /// @notice The light client's current table, in table order, as a withdrawal presents it: each
    ///         entry's key hash, stake and DA flag, plus the hash of the aggregate key, which is all the
    ///         commitment needs. `witnessIndex` names an entry registered here after the withdrawer.
    struct CurrentTable {
        bytes32[] keyHashes;
        uint64[] stakesGwei;
        bool[] isDa;
        bytes32 aggKeyHash;
        uint256 witnessIndex;
    }

    /// @dev Validator ids start at 1; 0 marks "none" in the linked list and the lookups.
    uint32 private _lastId;
    uint32 private _head;
    uint32 private _tail;
    uint32 private _activeCount;
    uint64 private _totalStakeGwei;
    mapping(uint32 id => Validator) private _validators;
    mapping(address account => uint32 id) private _idOf;
    mapping(bytes32 keyHash => uint32 id) private _keyUsedBy;
    /// @dev Running sum of the active keys (EIP-2537 G2), kept so the commitment needs no key storage.
    bytes private _aggKey;

    /// @notice A validator joined the table (at its end).
    event ValidatorRegistered(
        address indexed account, uint32 indexed validatorId, bytes blsKey, uint64 stakeGwei, bool isDa
    );
    /// @notice A validator left the table; its stake is withdrawable from `withdrawableAt`.
    event ValidatorExited(address indexed account, uint32 indexed validatorId, uint64 withdrawableAt);
    /// @notice The active table changed (a registration or an exit), so commitment() changed. The
    ///         Merkle root is not in the event because computing it walks the whole table; read
    ///         commitment() or summary() at this block, or rebuild it from the validator events.
    event StakeTableChanged(uint32 activeCount, uint64 totalStakeGwei, bytes32 aggKeyHash);
    /// @notice An exited validator's stake was paid out.
    event StakeWithdrawn(address indexed account, uint32 indexed validatorId, uint256 amountWei);

    error StakeTable__BadKeyLength(uint256 length);
    error StakeTable__BadSignatureLength(uint256 length);
    error StakeTable__KeyAlreadyUsed(bytes32 keyHash, uint32 validatorId);
    error StakeTable__AlreadyRegistered(address account, uint32 validatorId);
    error StakeTable__StakeNotWholeGwei(uint256 amountWei);
    error StakeTable__StakeTooLow(uint256 stakeGwei, uint256 minStakeGwei);
    error StakeTable__TableFull(uint256 maxValidators);
    error StakeTable__InvalidProofOfPossession(bytes32 keyHash);
    error StakeTable__NotActive(address account);
    error StakeTable__KeyMismatch(bytes32 expected, bytes32 got);
    error StakeTable__NothingToWithdraw(address account);
    error StakeTable__EscrowNotElapsed(uint64 withdrawableAt, uint256 nowSeconds);
    error StakeTable__TransferFailed(address to, uint256 amountWei);
    error StakeTable__ZeroLightClient();
    error StakeTable__TableLengthMismatch(uint256 keys, uint256 stakes, uint256 daFlags);
    error StakeTable__NotLightClientTable(bytes32 expected, bytes32 got);
    error StakeTable__StillInLightClientTable(uint32 validatorId, uint256 index);
    error StakeTable__WitnessOutOfRange(uint256 index, uint256 count);
    error StakeTable__NoLaterValidatorInTable(uint32 validatorId, uint32 witnessId);

    /// @param minStakeGwei_ smallest stake accepted, in gwei (at least 1)
    /// @param exitEscrowSeconds_ delay between an exit and the withdrawal of its stake
    /// @param maxValidators_ cap on the active table, which bounds the commitment loop
    /// @param lightClient_ the LightClient whose current table decides when exited stake may leave
    constructor(uint256 minStakeGwei_, uint256 exitEscrowSeconds_, uint256 maxValidators_, address lightClient_) {
        if (lightClient_ == address(0)) revert StakeTable__ZeroLightClient();
        _minStakeGwei = minStakeGwei_ == 0 ? 1 : minStakeGwei_;
        _exitEscrowSeconds = exitEscrowSeconds_;
        _maxValidators = maxValidators_;
        _lightClient = ICurrentStakeTable(lightClient_);
        _aggKey = new bytes(BLS12381.G2_LEN);
    }

    /// @notice Registers the caller with a BLS key, a proof of possession and the attached stake.
    /// @param blsKey the G2 public key, EIP-2537 encoded (256 bytes)
    /// @param popSignature the G1 signature (128 bytes) over
    ///        keccak256(abi.encode(TAG_pop, block.chainid, address(this), msg.sender, keccak256(blsKey)))
    ///        under the POP DST
    /// @param isDa whether the node is a member of the DA committee
    /// @return validatorId the new validator's id (also its position key in the table order)
    function register(bytes calldata blsKey, bytes calldata popSignature, bool isDa)
        external
        payable
        nonReentrant
        returns (uint32 validatorId)
    {
        if (blsKey.length != BLS12381.G2_LEN) revert StakeTable__BadKeyLength(blsKey.length);
        if (popSignature.length != BLS12381.G1_LEN) revert StakeTable__BadSignatureLength(popSignature.length);
        uint32 existing = _idOf[msg.sender];
        if (existing != 0 && _validators[existing].status != Status.Withdrawn) {
            revert StakeTable__AlreadyRegistered(msg.sender, existing);
        }
        bytes32 keyHash = keccak256(blsKey);
        uint32 usedBy = _keyUsedBy[keyHash];
        if (usedBy != 0) revert StakeTable__KeyAlreadyUsed(keyHash, usedBy);
        if (msg.value % 1 gwei != 0) revert StakeTable__StakeNotWholeGwei(msg.value);
        uint256 stakeGwei = msg.value / 1 gwei;
        if (stakeGwei < _minStakeGwei) revert StakeTable__StakeTooLow(stakeGwei, _minStakeGwei);
        if (_activeCount >= _maxValidators) revert StakeTable__TableFull(_maxValidators);
        bytes memory key = blsKey;
        bytes32 popMessage = CortadoCodec.popDigest(block.chainid, address(this), msg.sender, key);
        if (!BLS12381.verify(popSignature, key, abi.encodePacked(popMessage), BLS12381.DST_POP)) {
            revert StakeTable__InvalidProofOfPossession(keyHash);
        }

        validatorId = ++_lastId;
        uint32 tail = _tail;
        _validators[validatorId] = Validator({
            account: msg.sender,
            stakeGwei: uint64(stakeGwei),
            isDa: isDa,
            status: Status.Active,
            prev: tail,
            next: 0,
            withdrawableAt: 0,
            keyHash: keyHash
        });
        if (tail == 0) _head = validatorId;
        else _validators[tail].next = validatorId;
        _tail = validatorId;
        _activeCount += 1;
        _totalStakeGwei += uint64(stakeGwei);
        _idOf[msg.sender] = validatorId;
        _keyUsedBy[keyHash] = validatorId;
        _aggKey = BLS12381.g2Add(_aggKey, key);
        emit ValidatorRegistered(msg.sender, validatorId, blsKey, uint64(stakeGwei), isDa);
        emit StakeTableChanged(_activeCount, _totalStakeGwei, keccak256(_aggKey));
    }

    /// @notice Leaves the table now; the stake becomes withdrawable after the escrow delay.
    /// @param blsKey the caller's registered key (checked against its hash; subtracted from the aggregate)
    /// @return withdrawableAt the timestamp from which withdraw() pays out
    function requestExit(bytes calldata blsKey) external returns (uint64 withdrawableAt) {
        uint32 id = _idOf[msg.sender];
        Validator storage v = _validators[id];
        if (id == 0 || v.status != Status.Active) revert StakeTable__NotActive(msg.sender);
        bytes32 keyHash = keccak256(blsKey);
        if (keyHash != v.keyHash) revert StakeTable__KeyMismatch(v.keyHash, keyHash);

        withdrawableAt = uint64(block.timestamp + _exitEscrowSeconds);
        v.status = Status.Exiting;
        v.withdrawableAt = withdrawableAt;
        (uint32 prev, uint32 next) = (v.prev, v.next);
        if (prev == 0) _head = next;
        else _validators[prev].next = next;
        if (next == 0) _tail = prev;
        else _validators[next].prev = prev;
        v.prev = 0;
        v.next = 0;
        _activeCount -= 1;
        _totalStakeGwei -= v.stakeGwei;
        _aggKey = BLS12381.g2Add(_aggKey, BLS12381.g2Neg(blsKey));
        emit ValidatorExited(msg.sender, id, withdrawableAt);
        emit StakeTableChanged(_activeCount, _totalStakeGwei, keccak256(_aggKey));
    }

    /// @notice Pays an exited validator its stake once the escrow delay has elapsed and the light
    ///         client's current table no longer holds it.
    /// @dev Every table the network uses is this contract's state at some L1 block, and those blocks
    ///      never go back. The presented table must hash to the light client's commitment; if it lacks
    ///      the withdrawer's key but holds a validator registered after the withdrawer, it was read
    ///      after the withdrawer's exit, so neither it nor any later table holds the stake (keys are
    ///      never reused). Without such a witness the table might predate the registration, and the
    ///      withdrawal waits for one.
    /// @param table the light client's current table (see CurrentTable)
    /// @return amountWei the amount paid
    function withdraw(CurrentTable calldata table) external nonReentrant returns (uint256 amountWei) {
        uint32 id = _idOf[msg.sender];
        Validator storage v = _validators[id];
        if (id == 0 || v.status != Status.Exiting) revert StakeTable__NothingToWithdraw(msg.sender);
        if (block.timestamp < v.withdrawableAt) revert StakeTable__EscrowNotElapsed(v.withdrawableAt, block.timestamp);
        _checkReleased(id, v.keyHash, table);
        amountWei = uint256(v.stakeGwei) * 1 gwei;
        v.status = Status.Withdrawn;
        emit StakeWithdrawn(msg.sender, id, amountWei);
        (bool ok,) = msg.sender.call{value: amountWei}("");
        if (!ok) revert StakeTable__TransferFailed(msg.sender, amountWei);
    }

    function _checkReleased(uint32 id, bytes32 keyHash, CurrentTable calldata table) private view {
        uint256 count = table.keyHashes.length;
        if (table.stakesGwei.length != count || table.isDa.length != count) {
            revert StakeTable__TableLengthMismatch(count, table.stakesGwei.length, table.isDa.length);
        }
        bytes32[] memory leaves = new bytes32[](count);
        uint256 total;
        for (uint256 i = 0; i < count; ++i) {
            if (table.keyHashes[i] == keyHash) revert StakeTable__StillInLightClientTable(id, i);
            leaves[i] = keccak256(
                abi.encode(CortadoCodec.TAG_STAKE_LEAF, i, table.keyHashes[i], uint256(table.stakesGwei[i]), table.isDa[i])
            );
            total += table.stakesGwei[i];
        }
        bytes32 got = keccak256(
            abi.encode(CortadoCodec.TAG_STAKE_TABLE, CortadoCodec.merkleRoot(leaves), count, total, table.aggKeyHash)
        );
        bytes32 expected = _lightClient.stakeTableCommitment();
        if (got != expected) revert StakeTable__NotLightClientTable(expected, got);
        if (table.witnessIndex >= count) revert StakeTable__WitnessOutOfRange(table.witnessIndex, count);
        uint32 witness = _keyUsedBy[table.keyHashes[table.witnessIndex]];
        if (witness <= id) revert StakeTable__NoLaterValidatorInTable(id, witness);
    }

    /// @notice The stake-table commitment of the active table, as the Java StakeTable computes it.
    function commitment() external view returns (bytes32) {
        (bytes32 root, uint256 count, uint256 total, bytes memory aggKey) = _summary();
        return CortadoCodec.stakeTableCommitment(root, count, total, aggKey);
    }

    /// @notice The parts of the commitment: leaf Merkle root, size, total stake (gwei), aggregate key.
    function summary() external view returns (bytes32 root, uint256 count, uint256 totalStakeGwei, bytes memory aggKey) {
        return _summary();
    }

    /// @notice The active validators' ids in table order.
    function activeValidatorIds() external view returns (uint32[] memory ids) {
        ids = new uint32[](_activeCount);
        uint32 id = _head;
        for (uint256 i = 0; i < ids.length; ++i) {
            ids[i] = id;
            id = _validators[id].next;
        }
    }

    /// @notice One validator's record by id.
    function validator(uint32 validatorId)
        external
        view
        returns (address account, uint64 stakeGwei, bool isDa, Status status, uint64 withdrawableAt, bytes32 keyHash)
    {
        Validator storage v = _validators[validatorId];
        return (v.account, v.stakeGwei, v.isDa, v.status, v.withdrawableAt, v.keyHash);
    }

    /// @notice The latest validator id of `account` (0 when it never registered).
    function validatorIdOf(address account) external view returns (uint32) {
        return _idOf[account];
    }

    /// @notice The validator that registered `keyHash` (0 when the key is unused).
    function keyUsedBy(bytes32 keyHash) external view returns (uint32) {
        return _keyUsedBy[keyHash];
    }

    /// @notice Smallest stake accepted, in gwei.
    function minStakeGwei() external view returns (uint256) {
        return _minStakeGwei;
    }

    /// @notice Seconds between an exit and its withdrawal.
    function exitEscrowSeconds() external view returns (uint256) {
        return _exitEscrowSeconds;
    }

    /// @notice The LightClient whose current table gates withdrawals.
    function lightClient() external view returns (address) {
        return address(_lightClient);
    }

    /// @notice Cap on the active table.
    function maxValidators() external view returns (uint256) {
        return _maxValidators;
    }

    function _summary() private view returns (bytes32 root, uint256 count, uint256 total, bytes memory aggKey) {
        count = _activeCount;
        bytes32[] memory leaves = new bytes32[](count);
        uint32 id = _head;
        for (uint256 i = 0; i < count; ++i) {
            Validator storage v = _validators[id];
            leaves[i] = keccak256(abi.encode(CortadoCodec.TAG_STAKE_LEAF, i, v.keyHash, uint256(v.stakeGwei), v.isDa));
            id = v.next;
        }
        root = CortadoCodec.merkleRoot(leaves);
        total = _totalStakeGwei;
        aggKey = _aggKey;
    }
}
