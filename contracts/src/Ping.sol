// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice temporary pipeline check
contract Ping {
    uint256 private count;
    event Pinged(address indexed by, uint256 count);
    /// @notice counts a ping
    function ping() external returns (uint256) { count += 1; emit Pinged(msg.sender, count); return count; }
    /// @notice the count
    function pings() external view returns (uint256) { return count; }
}
