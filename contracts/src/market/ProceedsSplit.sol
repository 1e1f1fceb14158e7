// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BidEscrow} from "./BidEscrow.sol";
import {RollupRegistry} from "./RollupRegistry.sol";

/// @title ProceedsSplit
/// @notice How a winning bid's payment reaches the rollups it bought: split among the bundle's
///         beneficiaries by their reserves in that window, credited to their pull balances.
/// @dev No storage of its own: it reads the registry's terms and writes the escrow's proceeds, so
///      SequencingMarketplace's storage layout and ABI are the same as when this lived there.
abstract contract ProceedsSplit is RollupRegistry, BidEscrow {
    /// @dev Credits `amount` to the bundle's beneficiaries in proportion to their reserves (equally
    ///      when every reserve is zero); the rounding remainder goes to the highest index.
    function _distribute(uint64 window, uint256 bundle, uint256 amount) internal {
        uint256 reserveSum = _reserveOf(window, bundle);
        uint256 remaining = amount;
        uint256 members = 0;
        for (uint256 x = bundle; x != 0; x &= x - 1) ++members;
        while (bundle != 0) {
            uint256 index = _lowestBit(bundle);
            bundle &= bundle - 1;
            Terms storage t = _activeTermsAt(index, window);
            uint256 share;
            if (bundle == 0) share = remaining;
            else if (reserveSum == 0) share = amount / members;
            else share = amount * t.reserveWei / reserveSum;
            remaining -= share;
            _proceeds[t.beneficiary] += share;
        }
    }
}
