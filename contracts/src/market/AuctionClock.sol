// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title AuctionClock
/// @notice The Ethereum slot clock and the phase schedule of every window's auction.
/// @dev Schedule of window w (S = slotsPerWindow): the window covers slots [w*S, (w+1)*S). Its result is
///      final from the finalitySlots slots before w*S on; resolution covers the resolutionSlots slots
///      before those, reveal the revealSlots before those, commit the commitSlots before those. The
///      finality gap lets nodes that read L1 some blocks deep see the final result before the window
///      opens, so a winner holds its rollups from the window's first slot. Windows whose commit phase
///      would start before slot 0 are never auctioned.
abstract contract AuctionClock {
    enum Phase {
        NotOpen,
        Commit,
        Reveal,
        Resolution,
        Final
    }

    uint64 internal immutable _genesisTime;
    uint64 internal immutable _secondsPerSlot;
    uint64 internal immutable _slotsPerWindow;
    uint64 internal immutable _commitSlots;
    uint64 internal immutable _revealSlots;
    uint64 internal immutable _resolutionSlots;
    uint64 internal immutable _finalitySlots;
    /// @dev commit + reveal + resolution + finality slots, summed once: every bid reads the phase.
    uint256 private immutable _auctionSlotsTotal;

    error SequencingMarketplace__WrongPhase(uint64 window, Phase expected, Phase actual);

    constructor(
        uint64 genesisTime,
        uint64 secondsPerSlot,
        uint64 slotsPerWindow,
        uint64 commitSlots,
        uint64 revealSlots,
        uint64 resolutionSlots,
        uint64 finalitySlots
    ) {
        _genesisTime = genesisTime;
        _secondsPerSlot = secondsPerSlot;
        _slotsPerWindow = slotsPerWindow;
        _commitSlots = commitSlots;
        _revealSlots = revealSlots;
        _resolutionSlots = resolutionSlots;
        _finalitySlots = finalitySlots;
        _auctionSlotsTotal = uint256(commitSlots) + revealSlots + resolutionSlots + finalitySlots;
    }

    /// @notice The current Ethereum slot: (block.timestamp - genesisTime) / secondsPerSlot.
    function currentSlot() public view returns (uint64) {
        return SafeCast.toUint64((block.timestamp - _genesisTime) / _secondsPerSlot);
    }

    /// @notice The window containing the current slot.
    function currentWindow() external view returns (uint64) {
        return currentSlot() / _slotsPerWindow;
    }

    /// @notice The first window whose commit phase has not started (where registry changes take effect).
    function firstOpenWindow() public view returns (uint64) {
        return SafeCast.toUint64((currentSlot() + _auctionSlots()) / _slotsPerWindow + 1);
    }

    /// @notice The auction phase of `window` at the current slot (Final from finalitySlots before its start on).
    function phaseOf(uint64 window) public view returns (Phase) {
        uint256 start = uint256(window) * _slotsPerWindow;
        uint256 slot = currentSlot();
        if (slot >= start) return Phase.Final;
        uint256 auctionSlots = _auctionSlotsTotal;
        if (start < auctionSlots) return Phase.NotOpen; // never auctioned
        // start >= the sum of every phase's length, so none of these subtractions can underflow.
        unchecked {
            uint256 finalSlot = start - _finalitySlots;
            if (slot >= finalSlot) return Phase.Final;
            uint256 resolutionSlot = finalSlot - _resolutionSlots;
            if (slot >= resolutionSlot) return Phase.Resolution;
            if (slot >= resolutionSlot - _revealSlots) return Phase.Reveal;
            if (slot >= start - auctionSlots) return Phase.Commit;
        }
        return Phase.NotOpen;
    }

    /// @notice The first slot of each phase of `window`'s auction (finalSlot: the result is final from
    ///         there on), and of the window itself.
    function scheduleOf(uint64 window)
        external
        view
        returns (uint256 commitSlot, uint256 revealSlot, uint256 resolutionSlot, uint256 finalSlot, uint256 windowSlot)
    {
        windowSlot = uint256(window) * _slotsPerWindow;
        finalSlot = windowSlot - _finalitySlots;
        resolutionSlot = finalSlot - _resolutionSlots;
        revealSlot = resolutionSlot - _revealSlots;
        commitSlot = revealSlot - _commitSlots;
    }

    function _auctionSlots() internal view returns (uint256) {
        return _auctionSlotsTotal;
    }

    function _requirePhase(uint64 window, Phase expected) internal view {
        Phase actual = phaseOf(window);
        if (actual != expected) revert SequencingMarketplace__WrongPhase(window, expected, actual);
    }
}
