// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title BidEscrow
/// @notice Bidders' ETH: a free balance that bids lock collateral from, withdrawals after a delay,
///         and proceeds that beneficiaries and the treasury pull. Every payout is a pull with the
///         state cleared first and a reentrancy guard around the call.
abstract contract BidEscrow is ReentrancyGuard {
    struct PendingWithdrawal {
        uint128 amount;
        uint64 unlockTime;
    }

    uint64 internal immutable _withdrawalDelaySeconds;

    mapping(address account => uint256 weiAmount) internal _free;
    mapping(address account => PendingWithdrawal) private _pending;
    mapping(address account => uint256 weiAmount) internal _proceeds;

    /// @notice ETH was escrowed for bidding.
    event Deposited(address indexed account, uint256 amountWei);
    /// @notice Free escrow moved to a pending withdrawal, payable from `unlockTime`.
    event WithdrawalRequested(address indexed account, uint256 amountWei, uint64 unlockTime);
    /// @notice A pending escrow withdrawal was paid.
    event Withdrawn(address indexed account, uint256 amountWei);
    /// @notice A beneficiary (or the treasury) pulled its proceeds.
    event ProceedsWithdrawn(address indexed account, uint256 amountWei);

    error SequencingMarketplace__InsufficientBalance(uint256 available, uint256 needed);
    error SequencingMarketplace__NothingToWithdraw(address account);
    error SequencingMarketplace__WithdrawalLocked(uint64 unlockTime, uint256 nowSeconds);
    error SequencingMarketplace__TransferFailed(address to, uint256 amountWei);

    constructor(uint64 withdrawalDelaySeconds) {
        _withdrawalDelaySeconds = withdrawalDelaySeconds;
    }

    /// @notice Escrows the attached ETH as free bidding balance.
    function deposit() external payable {
        _free[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Moves free balance to a pending withdrawal, payable after the withdrawal delay
    ///         (a new request restarts the delay for the whole pending amount).
    /// @return unlockTime when withdraw() pays out
    function requestWithdrawal(uint256 amountWei) external returns (uint64 unlockTime) {
        uint256 available = _free[msg.sender];
        if (amountWei == 0 || amountWei > available) {
            revert SequencingMarketplace__InsufficientBalance(available, amountWei);
        }
        unlockTime = SafeCast.toUint64(block.timestamp + _withdrawalDelaySeconds);
        _free[msg.sender] = available - amountWei;
        PendingWithdrawal storage w = _pending[msg.sender];
        w.amount = SafeCast.toUint128(w.amount + amountWei);
        w.unlockTime = unlockTime;
        emit WithdrawalRequested(msg.sender, amountWei, unlockTime);
    }

    /// @notice Pays the caller's pending withdrawal once unlocked.
    /// @return amountWei the amount paid
    function withdraw() external nonReentrant returns (uint256 amountWei) {
        PendingWithdrawal memory w = _pending[msg.sender];
        if (w.amount == 0) revert SequencingMarketplace__NothingToWithdraw(msg.sender);
        if (block.timestamp < w.unlockTime) revert SequencingMarketplace__WithdrawalLocked(w.unlockTime, block.timestamp);
        amountWei = w.amount;
        delete _pending[msg.sender];
        emit Withdrawn(msg.sender, amountWei);
        _send(msg.sender, amountWei);
    }

    /// @notice Pays the caller (a beneficiary or the treasury) its accrued proceeds.
    /// @return amountWei the amount paid
    function withdrawProceeds() external nonReentrant returns (uint256 amountWei) {
        amountWei = _proceeds[msg.sender];
        if (amountWei == 0) revert SequencingMarketplace__NothingToWithdraw(msg.sender);
        _proceeds[msg.sender] = 0;
        emit ProceedsWithdrawn(msg.sender, amountWei);
        _send(msg.sender, amountWei);
    }

    /// @notice Free (uncommitted) escrow of `account`.
    function freeBalanceOf(address account) external view returns (uint256) {
        return _free[account];
    }

    /// @notice Pending withdrawal of `account` and when it unlocks.
    function pendingWithdrawalOf(address account) external view returns (uint256 amountWei, uint64 unlockTime) {
        PendingWithdrawal storage w = _pending[account];
        return (w.amount, w.unlockTime);
    }

    /// @notice Proceeds `account` can pull with withdrawProceeds().
    function proceedsOf(address account) external view returns (uint256) {
        return _proceeds[account];
    }

    function _send(address to, uint256 amountWei) private {
        (bool ok,) = to.call{value: amountWei}("");
        if (!ok) revert SequencingMarketplace__TransferFailed(to, amountWei);
    }
}
