// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AuctionClock} from "./AuctionClock.sol";

/// @title RollupRegistry
/// @notice The rollups on sale: up to 256 indexes (a bundle's bits), each held by one rollup at a
///         time. Only the owner (the registrar) registers a rollup, naming the namespace and its
///         operator, so nobody can squat the registry or front-run a rollup's namespace. Operators
///         change their terms, deregister, and hand the operator role on in two steps. Every change
///         takes effect from firstOpenWindow(), so a running auction never sees it.
abstract contract RollupRegistry is AuctionClock, Ownable2Step {
    uint256 public constant MAX_ROLLUPS = 256;

    /// @dev One version of an index's terms, valid from `effectiveWindow` until the next version.
    ///      Slot 0 packs the window, reserve, namespace and the active flag: the reveal check reads
    ///      only it. An inactive version marks the index vacant from its window on.
    struct Terms {
        uint64 effectiveWindow;
        uint96 reserveWei;
        uint64 namespace;
        bool active;
        address defaultSequencer;
        address beneficiary;
    }

    struct Rollup {
        address operator;
        uint64 joinedWindow;
        address pendingOperator;
        Terms[] versions;
    }

    /// @dev Slot 0 of an index's latest version plus its version count, in one word, so the reveal's
    ///      reserve check costs one cold read per rollup (not three: count, array length, version).
    struct Head {
        uint64 effectiveWindow;
        uint96 reserveWei;
        uint64 namespace;
        bool active;
        uint24 versionCount;
    }

    /// @dev Indexes 0.._rollupCount-1 were used at least once; `_vacant` has a bit per index whose
    ///      latest version is inactive (free for the next registration).
    mapping(uint256 index => Rollup) private _rollups;
    mapping(uint256 index => Head) private _heads;
    uint256 private _rollupCount;
    uint256 private _vacant;
    mapping(uint64 namespace => uint256 indexPlusOne) private _indexOfNamespace;

    /// @notice A rollup took index `index`; it takes part in auctions from `effectiveWindow`.
    event RollupRegistered(
        uint8 indexed index,
        uint64 indexed namespace,
        address operator,
        uint96 reserveWei,
        address defaultSequencer,
        address beneficiary,
        uint64 effectiveWindow
    );
    /// @notice A rollup's terms changed, from `effectiveWindow` on.
    event RollupTermsUpdated(
        uint8 indexed index, uint96 reserveWei, address defaultSequencer, address beneficiary, uint64 effectiveWindow
    );
    /// @notice A rollup left; its index is unsold and reusable from `effectiveWindow` on.
    event RollupDeregistered(uint8 indexed index, uint64 indexed namespace, uint64 effectiveWindow);
    /// @notice The operator offered its role to `pendingOperator` (address(0) withdraws the offer).
    event OperatorTransferStarted(uint8 indexed index, address indexed operator, address indexed pendingOperator);
    /// @notice `newOperator` accepted the operator role.
    event OperatorTransferred(uint8 indexed index, address indexed previousOperator, address indexed newOperator);

    error SequencingMarketplace__ZeroAddress();
    error SequencingMarketplace__RegistryFull(uint256 maxRollups);
    error SequencingMarketplace__NamespaceTaken(uint64 namespace, uint8 index);
    error SequencingMarketplace__UnknownRollup(uint256 index);
    error SequencingMarketplace__RollupInactive(uint8 index);
    error SequencingMarketplace__NotOperator(uint8 index, address caller);
    error SequencingMarketplace__NotPendingOperator(uint8 index, address caller);
    error SequencingMarketplace__UnknownNamespace(uint64 namespace);
    error SequencingMarketplace__RollupNotInWindow(uint64 window, uint256 index);
    error SequencingMarketplace__RenounceDisabled();

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Ownership cannot be renounced: without a registrar the registry would freeze.
    function renounceOwnership() public view override onlyOwner {
        revert SequencingMarketplace__RenounceDisabled();
    }

    // ---------------------------------------------------------------- registrar

    /// @notice Registers `namespace`'s rollup with `operator`, at its previous index when that is
    ///         still vacant, else at the lowest vacant index, else at the next unused one.
    /// @return index the rollup's bundle bit
    /// @return effectiveWindow the first window whose auction includes the rollup
    function registerRollup(
        uint64 namespace,
        address operator,
        uint96 reserveWei,
        address defaultSequencer,
        address beneficiary
    ) external onlyOwner returns (uint8 index, uint64 effectiveWindow) {
        if (operator == address(0) || defaultSequencer == address(0) || beneficiary == address(0)) {
            revert SequencingMarketplace__ZeroAddress();
        }
        uint256 previous = _indexOfNamespace[namespace];
        uint256 vacant = _vacant;
        uint256 chosen;
        if (previous != 0 && (vacant >> (previous - 1)) & 1 == 1) {
            chosen = previous - 1;
        } else if (previous != 0 && _latest(previous - 1).namespace == namespace) {
            revert SequencingMarketplace__NamespaceTaken(namespace, uint8(previous - 1));
        } else if (vacant != 0) {
            chosen = _lowestBit(vacant);
        } else if (_rollupCount < MAX_ROLLUPS) {
            chosen = _rollupCount++;
        } else {
            revert SequencingMarketplace__RegistryFull(MAX_ROLLUPS);
        }
        index = uint8(chosen);
        effectiveWindow = firstOpenWindow();
        _vacant = vacant & ~(uint256(1) << chosen);
        Rollup storage r = _rollups[chosen];
        r.operator = operator;
        r.pendingOperator = address(0);
        r.joinedWindow = effectiveWindow;
        _putVersion(chosen, Terms(effectiveWindow, reserveWei, namespace, true, defaultSequencer, beneficiary));
        _indexOfNamespace[namespace] = chosen + 1;
        emit RollupRegistered(index, namespace, operator, reserveWei, defaultSequencer, beneficiary, effectiveWindow);
    }

    // ---------------------------------------------------------------- operators

    /// @notice Changes a rollup's reserve, default sequencer and beneficiary from firstOpenWindow() on.
    /// @return effectiveWindow the first window the new terms apply to
    function updateRollupTerms(uint8 index, uint96 reserveWei, address defaultSequencer, address beneficiary)
        external
        returns (uint64 effectiveWindow)
    {
        _activeRollupOf(index, false);
        if (defaultSequencer == address(0) || beneficiary == address(0)) revert SequencingMarketplace__ZeroAddress();
        effectiveWindow = firstOpenWindow();
        _putVersion(index, Terms(effectiveWindow, reserveWei, _latest(index).namespace, true, defaultSequencer, beneficiary));
        emit RollupTermsUpdated(index, reserveWei, defaultSequencer, beneficiary, effectiveWindow);
    }

    /// @notice Leaves the registry from firstOpenWindow() on (the operator, or the registrar to
    ///         evict an abandoned rollup). Auctions already running still sell the rollup.
    /// @return effectiveWindow the first window without the rollup
    function deregisterRollup(uint8 index) external returns (uint64 effectiveWindow) {
        Rollup storage r = _activeRollupOf(index, true);
        uint64 namespace = _latest(index).namespace;
        effectiveWindow = firstOpenWindow();
        _putVersion(index, Terms(effectiveWindow, 0, namespace, false, address(0), address(0)));
        r.pendingOperator = address(0);
        _vacant |= uint256(1) << index;
        emit RollupDeregistered(index, namespace, effectiveWindow);
    }

    /// @notice Offers the operator role to `newOperator`, who must accept it; address(0) withdraws the offer.
    function transferOperator(uint8 index, address newOperator) external {
        Rollup storage r = _activeRollupOf(index, false);
        r.pendingOperator = newOperator;
        emit OperatorTransferStarted(index, msg.sender, newOperator);
    }

    /// @notice Accepts a pending operator offer.
    function acceptOperator(uint8 index) external {
        if (index >= _rollupCount) revert SequencingMarketplace__UnknownRollup(index);
        Rollup storage r = _rollups[index];
        if (msg.sender != r.pendingOperator) revert SequencingMarketplace__NotPendingOperator(index, msg.sender);
        address previous = r.operator;
        r.operator = msg.sender;
        r.pendingOperator = address(0);
        emit OperatorTransferred(index, previous, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @notice How many indexes were ever used (indexes below it may be vacant now).
    function rollupCount() external view returns (uint256) {
        return _rollupCount;
    }

    /// @notice The current holder of `index`: its namespace, operator and the window it joined.
    function rollupOf(uint8 index) external view returns (uint64 namespace, address operator, uint64 firstWindow) {
        if (index >= _rollupCount) revert SequencingMarketplace__UnknownRollup(index);
        Rollup storage r = _rollups[index];
        return (_latest(index).namespace, r.operator, r.joinedWindow);
    }

    /// @notice Whether `index` is vacant now (deregistered and not yet taken again), and its pending operator.
    function rollupStatusOf(uint8 index) external view returns (bool vacant, address pendingOperator) {
        if (index >= _rollupCount) revert SequencingMarketplace__UnknownRollup(index);
        return ((_vacant >> index) & 1 == 1, _rollups[index].pendingOperator);
    }

    /// @notice The index `namespace` was last registered at (it may since have left).
    function indexOfNamespace(uint64 namespace) public view returns (uint8) {
        uint256 indexPlusOne = _indexOfNamespace[namespace];
        if (indexPlusOne == 0) revert SequencingMarketplace__UnknownNamespace(namespace);
        return uint8(indexPlusOne - 1);
    }

    /// @notice The terms of rollup `index` that apply to `window` (zeros when the index is unsold then).
    function termsAt(uint8 index, uint64 window)
        external
        view
        returns (uint96 reserveWei, address defaultSequencer, address beneficiary)
    {
        if (index >= _rollupCount) revert SequencingMarketplace__UnknownRollup(index);
        (Terms storage t, bool found) = _termsAt(index, window);
        if (!found || !t.active) return (0, address(0), address(0));
        return (t.reserveWei, t.defaultSequencer, t.beneficiary);
    }

    /// @notice Which namespace holds `index` in `window` (active false: nobody).
    function namespaceAt(uint8 index, uint64 window) external view returns (uint64 namespace, bool active) {
        if (index >= _rollupCount) revert SequencingMarketplace__UnknownRollup(index);
        (Terms storage t, bool found) = _termsAt(index, window);
        if (!found) return (0, false);
        return (t.namespace, t.active);
    }

    // ---------------------------------------------------------------- internals

    function _activeRollupOf(uint8 index, bool registrarToo) private view returns (Rollup storage r) {
        if (index >= _rollupCount) revert SequencingMarketplace__UnknownRollup(index);
        r = _rollups[index];
        if (msg.sender != r.operator && !(registrarToo && msg.sender == owner())) {
            revert SequencingMarketplace__NotOperator(index, msg.sender);
        }
        if ((_vacant >> index) & 1 == 1) revert SequencingMarketplace__RollupInactive(index);
    }

    /// @dev Versions stay sorted by window; a second change before the same window replaces the first.
    ///      The head mirrors the latest version (versions are few: one per change, at most one per window).
    function _putVersion(uint256 index, Terms memory t) private {
        Terms[] storage v = _rollups[index].versions;
        uint256 n = v.length;
        if (n != 0 && v[n - 1].effectiveWindow == t.effectiveWindow) {
            v[n - 1] = t;
        } else {
            v.push(t);
            ++n;
        }
        _heads[index] = Head(t.effectiveWindow, t.reserveWei, t.namespace, t.active, SafeCast.toUint24(n));
    }

    function _latest(uint256 index) private view returns (Terms storage) {
        Terms[] storage v = _rollups[index].versions;
        return v[v.length - 1];
    }

    /// @dev Binary search for the version in force at `window`; found is false before the first one.
    function _termsAt(uint256 index, uint64 window) internal view returns (Terms storage, bool found) {
        Terms[] storage v = _rollups[index].versions;
        uint256 n = v.length;
        if (n == 0) revert SequencingMarketplace__UnknownRollup(index);
        uint256 hi = n - 1;
        if (v[hi].effectiveWindow <= window) return (v[hi], true);
        if (v[0].effectiveWindow > window) return (v[0], false);
        uint256 lo = 0;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            if (v[mid].effectiveWindow <= window) lo = mid;
            else hi = mid - 1;
        }
        return (v[lo], true);
    }

    /// @dev The active terms of `index` at `window`; reverts when the index is unsold then.
    function _activeTermsAt(uint256 index, uint64 window) internal view returns (Terms storage t) {
        if (index >= _rollupCount) revert SequencingMarketplace__RollupNotInWindow(window, index);
        bool found;
        (t, found) = _termsAt(index, window);
        if (!found || !t.active) revert SequencingMarketplace__RollupNotInWindow(window, index);
    }

    /// @dev Summed reserves of the bundle's rollups at `window`; every rollup must be sold in it.
    ///      The latest version (the head) answers unless a change is pending for a later window.
    function _reserveOf(uint64 window, uint256 bundle) internal view returns (uint256 reserve) {
        while (bundle != 0) {
            uint256 index = _lowestBit(bundle);
            bundle &= bundle - 1;
            Head memory h = _heads[index];
            if (h.versionCount == 0) revert SequencingMarketplace__RollupNotInWindow(window, index);
            if (h.effectiveWindow <= window) {
                if (!h.active) revert SequencingMarketplace__RollupNotInWindow(window, index);
                reserve += h.reserveWei;
            } else {
                reserve += _activeTermsAt(index, window).reserveWei;
            }
        }
    }

    /// @dev The index `namespace` holds in `window`, or false when it held none (or another index).
    function _indexInWindow(uint64 namespace, uint64 window) internal view returns (uint256 index, bool held) {
        uint256 indexPlusOne = _indexOfNamespace[namespace];
        if (indexPlusOne == 0) revert SequencingMarketplace__UnknownNamespace(namespace);
        index = indexPlusOne - 1;
        (Terms storage t, bool found) = _termsAt(index, window);
        held = found && t.active && t.namespace == namespace;
    }

    function _lowestBit(uint256 x) internal pure returns (uint256) {
        return Math.log2(x & (~x + 1));
    }
}
