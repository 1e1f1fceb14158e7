// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AuctionClock} from "./market/AuctionClock.sol";
import {BidEscrow} from "./market/BidEscrow.sol";
import {ProceedsSplit} from "./market/ProceedsSplit.sol";
import {RollupRegistry} from "./market/RollupRegistry.sol";

/// @title SequencingMarketplace
/// @notice Rollups sell the right to sequence them one window of Ethereum slots at a time. For each
///         window a sealed-bid auction runs commit, reveal and resolution phases in whole slots
///         before the window starts. Bundles are bitmaps over rollup indexes 0..255; the best
///         allocation of pairwise-disjoint revealed bids (by revenue, ties by the lower keccak of the
///         sorted bid ids) is final finalitySlots slots before the window starts, so nodes reading L1
///         at their confirmation depth enforce it from the window's first slot. Winners pay their bid
///         (first price), split among the bundle's rollups in proportion to their reserves
///         (ProceedsSplit); beneficiaries pull.
/// @dev Anti-griefing (docs/architecture.md, "Marketplace hardening"): every commit pays a fee that
///      doubles every FEE_DOUBLING_BIDS bids of the window, so filling the window cap costs
///      exponentially more than one honest bid; collateral must cover the revealed amount plus a
///      bond; a reveal must meet the bundle's reserves; an unrevealed bid forfeits all its
///      collateral, which is never less than what not revealing it could save.
contract SequencingMarketplace is ProceedsSplit {
    struct Params {
        uint64 genesisTime;
        uint64 secondsPerSlot;
        uint64 slotsPerWindow;
        uint64 commitSlots;
        uint64 revealSlots;
        uint64 resolutionSlots;
        uint64 finalitySlots;
        uint64 withdrawalDelaySeconds;
        uint32 maxBidsPerWindow;
        uint96 bidBondWei;
        uint96 commitFeeWei;
        address treasury;
    }

    /// @dev slot 0: bidder + collateral; slot 1: the commitment, replaced by the bundle on reveal;
    ///      slot 2: sequencer + amount, written on reveal (sequencer != 0 marks a revealed bid).
    struct Bid {
        address bidder;
        uint96 collateral;
        bytes32 commitmentOrBundle;
        address sequencer;
        uint96 amount;
    }

    struct Auction {
        uint32 bidCount;
        uint32 allocationLength;
        uint128 revenue;
        bytes32 allocationHash;
    }

    /// @notice Domain tag of bid commitments.
    bytes32 public constant TAG_BID = keccak256("cortado/bid/v1");
    /// @notice The commit fee doubles after every this many bids of a window.
    uint256 public constant FEE_DOUBLING_BIDS = 32;

    uint32 private immutable _maxBidsPerWindow;
    uint96 private immutable _bidBondWei;
    uint96 private immutable _commitFeeWei;
    address private immutable _treasury;

    mapping(uint64 window => Auction) private _auctions;
    mapping(uint64 window => mapping(uint256 bidId => Bid)) private _bids;
    /// @dev The best allocation's bid ids, eight uint32 per word.
    mapping(uint64 window => mapping(uint256 word => uint256 packed)) private _allocation;
    mapping(uint64 window => uint256 bits) private _settled;

    /// @notice A sealed bid was committed with locked collateral (its fee is commitFeeOf(bidId)).
    event BidCommitted(uint64 indexed window, uint32 indexed bidId, address indexed bidder, uint96 collateral, bytes32 commitment);
    /// @notice A bid was revealed.
    event BidRevealed(uint64 indexed window, uint32 indexed bidId, uint256 bundle, uint96 amount, address sequencer);
    /// @notice A better allocation became the window's best.
    event AllocationImproved(uint64 indexed window, address indexed submitter, uint256 revenue, uint32[] bidIds);
    /// @notice A bid's collateral was settled once its window's result was final.
    event BidSettled(
        uint64 indexed window, uint32 indexed bidId, bool won, uint256 paidWei, uint256 refundedWei, uint256 forfeitedWei
    );

    error SequencingMarketplace__BadSchedule(
        uint64 secondsPerSlot,
        uint64 slotsPerWindow,
        uint64 commitSlots,
        uint64 revealSlots,
        uint64 resolutionSlots,
        uint64 finalitySlots
    );
    error SequencingMarketplace__BadBidCap(uint32 maxBidsPerWindow, uint256 limit);
    error SequencingMarketplace__GenesisInFuture(uint64 genesisTime, uint256 nowSeconds);
    error SequencingMarketplace__ZeroBond();
    error SequencingMarketplace__EmptyCommitment();
    error SequencingMarketplace__CollateralBelowBond(uint96 collateral, uint96 bondWei);
    error SequencingMarketplace__WindowBidCap(uint64 window, uint256 cap);
    error SequencingMarketplace__UnknownBid(uint64 window, uint256 bidId);
    error SequencingMarketplace__NotBidder(uint64 window, uint32 bidId, address caller);
    error SequencingMarketplace__AlreadyRevealed(uint64 window, uint32 bidId);
    error SequencingMarketplace__RevealMismatch(uint64 window, uint32 bidId, bytes32 expected, bytes32 got);
    error SequencingMarketplace__CollateralBelowAmountPlusBond(uint32 bidId, uint256 collateral, uint256 needed);
    error SequencingMarketplace__EmptyBundle();
    error SequencingMarketplace__ReserveNotMet(uint32 bidId, uint256 amount, uint256 reserve);
    error SequencingMarketplace__EmptyAllocation();
    error SequencingMarketplace__AllocationTooLarge(uint256 length, uint256 cap);
    error SequencingMarketplace__AllocationNotSorted(uint32 previousBidId, uint32 bidId);
    error SequencingMarketplace__BidNotRevealed(uint64 window, uint32 bidId);
    error SequencingMarketplace__OverlappingBundles(uint32 bidId, uint256 overlap);
    error SequencingMarketplace__NotBetter(uint256 revenue, uint256 bestRevenue);
    error SequencingMarketplace__AlreadySettled(uint64 window, uint32 bidId);

    /// @param p the slot clock, phase lengths, escrow delay, bid cap, bond, fee and treasury
    /// @param owner_ the registrar: registers rollups (two-step transferable, never renounced)
    constructor(Params memory p, address owner_)
        AuctionClock(
            p.genesisTime,
            p.secondsPerSlot,
            p.slotsPerWindow,
            p.commitSlots,
            p.revealSlots,
            p.resolutionSlots,
            p.finalitySlots
        )
        RollupRegistry(owner_)
        BidEscrow(p.withdrawalDelaySeconds)
    {
        // A zero finality gap would make the result final only at the window's first block, which no node
        // reading L1 at any depth can have seen when the window opens.
        if (
            p.secondsPerSlot == 0 || p.slotsPerWindow == 0 || p.commitSlots == 0 || p.revealSlots == 0
                || p.resolutionSlots == 0 || p.finalitySlots == 0
        ) {
            revert SequencingMarketplace__BadSchedule(
                p.secondsPerSlot, p.slotsPerWindow, p.commitSlots, p.revealSlots, p.resolutionSlots, p.finalitySlots
            );
        }
        if (p.maxBidsPerWindow == 0 || p.maxBidsPerWindow > 256) {
            revert SequencingMarketplace__BadBidCap(p.maxBidsPerWindow, 256);
        }
        if (p.genesisTime > block.timestamp) revert SequencingMarketplace__GenesisInFuture(p.genesisTime, block.timestamp);
        if (p.bidBondWei == 0) revert SequencingMarketplace__ZeroBond();
        if (p.treasury == address(0)) revert SequencingMarketplace__ZeroAddress();
        _maxBidsPerWindow = p.maxBidsPerWindow;
        _bidBondWei = p.bidBondWei;
        _commitFeeWei = p.commitFeeWei;
        _treasury = p.treasury;
    }

    // ---------------------------------------------------------------- auction

    /// @notice Commits a sealed bid for `window`: locks `collateral` and pays commitFeeOf(bidId).
    ///         ETH attached to the call pays first; the free balance covers any shortfall and keeps
    ///         any excess. Attaching exactly collateral + fee leaves the free balance untouched,
    ///         which saves its two storage accesses (about 5,000 gas) and the deposit transaction.
    /// @param window the window bid for; its phase must be Commit
    /// @param commitment bidCommitment(window, msg.sender, bundle, amount, sequencer, salt)
    /// @param collateral locked until settlement; at least the bond, and at reveal at least amount + bond
    /// @return bidId the bid's id within the window
    function commitBid(uint64 window, bytes32 commitment, uint96 collateral) external payable returns (uint32 bidId) {
        _requirePhase(window, Phase.Commit);
        if (commitment == bytes32(0)) revert SequencingMarketplace__EmptyCommitment();
        if (collateral < _bidBondWei) revert SequencingMarketplace__CollateralBelowBond(collateral, _bidBondWei);
        Auction storage a = _auctions[window];
        bidId = a.bidCount;
        if (bidId >= _maxBidsPerWindow) revert SequencingMarketplace__WindowBidCap(window, _maxBidsPerWindow);
        uint256 needed = uint256(collateral) + commitFeeOf(bidId);
        if (msg.value != needed) {
            uint256 available = _free[msg.sender] + msg.value;
            if (needed > available) revert SequencingMarketplace__InsufficientBalance(available, needed);
            _free[msg.sender] = available - needed;
        }
        a.bidCount = bidId + 1;
        Bid storage b = _bids[window][bidId];
        b.bidder = msg.sender;
        b.collateral = collateral;
        b.commitmentOrBundle = commitment;
        emit BidCommitted(window, bidId, msg.sender, collateral, commitment);
    }

    /// @notice Reveals a committed bid during the window's reveal phase. The bid must be one that
    ///         could win: its amount meets the bundle's summed reserves and its collateral covers
    ///         the amount plus the bond.
    /// @param bundle bitmap of rollup indexes bid for (each sold in the window)
    /// @param amount the price offered
    /// @param sequencer who will sequence the bundle if the bid wins
    /// @param salt the commitment's blinding value
    function revealBid(uint64 window, uint32 bidId, uint256 bundle, uint96 amount, address sequencer, bytes32 salt)
        external
    {
        _requirePhase(window, Phase.Reveal);
        Bid storage b = _bids[window][bidId];
        address bidder = b.bidder;
        if (bidder == address(0)) revert SequencingMarketplace__UnknownBid(window, bidId);
        if (bidder != msg.sender) revert SequencingMarketplace__NotBidder(window, bidId, msg.sender);
        if (b.sequencer != address(0)) revert SequencingMarketplace__AlreadyRevealed(window, bidId);
        bytes32 expected = b.commitmentOrBundle;
        bytes32 got = bidCommitment(window, msg.sender, bundle, amount, sequencer, salt);
        if (got != expected) revert SequencingMarketplace__RevealMismatch(window, bidId, expected, got);
        if (bundle == 0) revert SequencingMarketplace__EmptyBundle();
        if (sequencer == address(0)) revert SequencingMarketplace__ZeroAddress();
        uint256 needed = uint256(amount) + _bidBondWei;
        if (b.collateral < needed) {
            revert SequencingMarketplace__CollateralBelowAmountPlusBond(bidId, b.collateral, needed);
        }
        // Terms of a window are frozen once its commit phase starts, so this check holds at resolution too.
        uint256 reserve = _reserveOf(window, bundle);
        if (amount < reserve) revert SequencingMarketplace__ReserveNotMet(bidId, amount, reserve);

        b.commitmentOrBundle = bytes32(bundle);
        b.sequencer = sequencer;
        b.amount = amount;
        emit BidRevealed(window, bidId, bundle, amount, sequencer);
    }

    /// @notice Proposes an allocation for `window`: revealed bids with pairwise-disjoint bundles
    ///         (each met its reserves at reveal). Kept when its revenue beats the best so far, or
    ///         equals it with a lower keccak256(abi.encodePacked(bidIds)) (each id padded to a word).
    /// @param bidIds the bids, in strictly ascending id order
    /// @return revenue the allocation's revenue
    function submitAllocation(uint64 window, uint32[] calldata bidIds) external returns (uint256 revenue) {
        _requirePhase(window, Phase.Resolution);
        uint256 n = bidIds.length;
        if (n == 0) revert SequencingMarketplace__EmptyAllocation();
        if (n > _maxBidsPerWindow) revert SequencingMarketplace__AllocationTooLarge(n, _maxBidsPerWindow);
        uint256 covered = 0;
        mapping(uint256 => Bid) storage bids = _bids[window];
        for (uint256 i = 0; i < n; ++i) {
            uint32 id = bidIds[i];
            if (i > 0 && id <= bidIds[i - 1]) revert SequencingMarketplace__AllocationNotSorted(bidIds[i - 1], id);
            Bid storage b = bids[id];
            (address sequencer, uint256 amount) = (b.sequencer, b.amount);
            if (sequencer == address(0)) revert SequencingMarketplace__BidNotRevealed(window, id);
            uint256 bundle = uint256(b.commitmentOrBundle);
            uint256 overlap = bundle & covered;
            if (overlap != 0) revert SequencingMarketplace__OverlappingBundles(id, overlap);
            covered |= bundle;
            revenue += amount;
        }
        Auction storage a = _auctions[window];
        bytes32 h = keccak256(abi.encodePacked(bidIds));
        uint256 best = a.revenue;
        bool better = revenue > best || (revenue == best && (a.allocationLength == 0 || h < a.allocationHash));
        if (!better) revert SequencingMarketplace__NotBetter(revenue, best);

        a.revenue = SafeCast.toUint128(revenue);
        a.allocationHash = h;
        a.allocationLength = SafeCast.toUint32(n);
        mapping(uint256 => uint256) storage words = _allocation[window];
        uint256 packed = 0;
        for (uint256 i = 0; i < n; ++i) {
            packed |= uint256(bidIds[i]) << (32 * (i % 8));
            if (i % 8 == 7 || i == n - 1) {
                words[i / 8] = packed;
                packed = 0;
            }
        }
        emit AllocationImproved(window, msg.sender, revenue, bidIds);
    }

    /// @notice Settles one bid once its window's result is final: a winner pays its amount (split
    ///         among its rollups' beneficiaries by reserve) and gets the rest back; a revealed loser
    ///         gets all of its collateral back; an unrevealed bid forfeits all of it. The commit fee and
    ///         forfeits go to the treasury, refunds to the bidder's free balance. Anyone may call it.
    function settleBid(uint64 window, uint32 bidId) external {
        _requirePhase(window, Phase.Final);
        Bid storage b = _bids[window][bidId];
        address bidder = b.bidder;
        if (bidder == address(0)) revert SequencingMarketplace__UnknownBid(window, bidId);
        uint256 bit = uint256(1) << bidId;
        if (_settled[window] & bit != 0) revert SequencingMarketplace__AlreadySettled(window, bidId);
        _settled[window] |= bit;

        uint256 collateral = b.collateral;
        bool revealed = b.sequencer != address(0);
        bool won = revealed && _inAllocation(window, bidId);
        uint256 paid = 0;
        uint256 forfeited = 0;
        if (won) {
            paid = b.amount;
            _distribute(window, uint256(b.commitmentOrBundle), paid);
        } else if (!revealed) {
            forfeited = collateral;
        }
        _proceeds[_treasury] += commitFeeOf(bidId) + forfeited;
        uint256 refunded = collateral - paid - forfeited;
        if (refunded != 0) _free[bidder] += refunded;
        emit BidSettled(window, bidId, won, paid, refunded, forfeited);
    }

    // ---------------------------------------------------------------- views

    /// @notice The commitment a bidder commits to, bound to this contract and chain.
    function bidCommitment(
        uint64 window,
        address bidder,
        uint256 bundle,
        uint96 amount,
        address sequencer,
        bytes32 salt
    ) public view returns (bytes32) {
        return keccak256(
            abi.encode(TAG_BID, block.chainid, address(this), window, bidder, bundle, amount, sequencer, salt)
        );
    }

    /// @notice The fee bid `bidId` of a window pays at commit: commitFeeWei doubled every FEE_DOUBLING_BIDS ids.
    function commitFeeOf(uint256 bidId) public view returns (uint256) {
        return uint256(_commitFeeWei) << (bidId / FEE_DOUBLING_BIDS);
    }

    /// @notice The winning sequencer of `namespace` in `window`, the rollup's default sequencer when
    ///         its slot was unsold, or address(0) when the namespace held no index in that window.
    /// @dev Reverts until the window's result is final (finalitySlots before the window starts).
    function winnerOf(uint64 window, uint64 namespace) external view returns (address) {
        Phase p = phaseOf(window);
        if (p != Phase.Final) revert SequencingMarketplace__WrongPhase(window, Phase.Final, p);
        (uint256 index, bool held) = _indexInWindow(namespace, window);
        if (!held) return address(0);
        uint256 bit = uint256(1) << index;
        uint256 n = _auctions[window].allocationLength;
        for (uint256 i = 0; i < n; ++i) {
            Bid storage b = _bids[window][_allocationAt(window, i)];
            if (uint256(b.commitmentOrBundle) & bit != 0) return b.sequencer;
        }
        return _activeTermsAt(index, window).defaultSequencer;
    }

    /// @notice The best allocation of `window` so far, its revenue, and whether it is final.
    function resultOf(uint64 window) external view returns (uint256 revenue, uint32[] memory bidIds, bool isFinal) {
        Auction storage a = _auctions[window];
        bidIds = new uint32[](a.allocationLength);
        for (uint256 i = 0; i < bidIds.length; ++i) {
            bidIds[i] = _allocationAt(window, i);
        }
        return (a.revenue, bidIds, phaseOf(window) == Phase.Final);
    }

    /// @notice One bid: bidder, collateral, whether revealed and settled, and (once revealed) its terms.
    function bidOf(uint64 window, uint32 bidId)
        external
        view
        returns (
            address bidder,
            uint96 collateral,
            bool revealed,
            bool settled,
            uint256 bundle,
            uint96 amount,
            address sequencer
        )
    {
        Bid storage b = _bids[window][bidId];
        revealed = b.sequencer != address(0);
        settled = (_settled[window] >> bidId) & 1 == 1;
        return (b.bidder, b.collateral, revealed, settled, revealed ? uint256(b.commitmentOrBundle) : 0, b.amount, b.sequencer);
    }

    /// @notice How many bids were committed for `window`.
    function bidCount(uint64 window) external view returns (uint256) {
        return _auctions[window].bidCount;
    }

    /// @notice The deployment parameters.
    function params() external view returns (Params memory) {
        return Params(
            _genesisTime,
            _secondsPerSlot,
            _slotsPerWindow,
            _commitSlots,
            _revealSlots,
            _resolutionSlots,
            _finalitySlots,
            _withdrawalDelaySeconds,
            _maxBidsPerWindow,
            _bidBondWei,
            _commitFeeWei,
            _treasury
        );
    }

    // ---------------------------------------------------------------- internals

    function _allocationAt(uint64 window, uint256 i) private view returns (uint32) {
        return uint32(_allocation[window][i / 8] >> (32 * (i % 8)));
    }

    function _inAllocation(uint64 window, uint32 bidId) private view returns (bool) {
        uint256 n = _auctions[window].allocationLength;
        for (uint256 i = 0; i < n; ++i) {
            if (_allocationAt(window, i) == bidId) return true;
        }
        return false;
    }
}
