// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

interface IProceeds {
    /// @notice Pays the caller its proceeds.
    function withdrawProceeds() external returns (uint256);
}

/// @title ReentrantBeneficiary
/// @notice Test-only: a beneficiary whose receive() tries to withdraw its proceeds a second time
///         and records how that attempt failed, so a test can tell the reentrancy guard's error
///         from the emptied balance's.
contract ReentrantBeneficiary {
    IProceeds private immutable _market;
    uint256 private _received;
    uint256 private _reentryAttempts;
    bool private _reentrySucceeded;
    bytes private _reentryRevert;

    /// @param market the marketplace to attack
    constructor(address market) {
        _market = IProceeds(market);
    }

    /// @notice Starts the withdrawal.
    function attack() external returns (uint256) {
        return _market.withdrawProceeds();
    }

    /// @notice Records the payment and re-enters once.
    receive() external payable {
        _received += msg.value;
        if (_reentryAttempts == 0) {
            _reentryAttempts = 1;
            try _market.withdrawProceeds() returns (uint256) {
                _reentrySucceeded = true;
            } catch (bytes memory reason) {
                _reentrySucceeded = false;
                _reentryRevert = reason;
            }
        }
    }

    /// @notice Total received, how often re-entry was tried, whether it ever paid, and its revert data.
    function outcome()
        external
        view
        returns (uint256 received, uint256 attempts, bool reentrySucceeded, bytes memory reentryRevert)
    {
        return (_received, _reentryAttempts, _reentrySucceeded, _reentryRevert);
    }
}
