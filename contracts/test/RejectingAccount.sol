// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title RejectingAccount
/// @notice Test-only: an account that makes calls but refuses every ETH payment sent to it, to
///         exercise the contracts' failed-transfer paths.
contract RejectingAccount {
    /// @notice Calls `target` with `data` and the attached ETH, bubbling up any revert unchanged.
    function forward(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }
}
