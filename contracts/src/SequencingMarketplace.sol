// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SequencingMarketplace
/// @notice Rollups sell the right to sequence them one window of Ethereum slots at a time. For each
///         window a sealed-bid auction runs commit, reveal and resolution phases in whole slots
///         right before the window starts. Bundles are bitmaps over rollup indexes 0..255; the best
///         allocation of pairwise-disjoint revealed bids (by revenue, ties by the lower keccak of the
///         sorted bid ids) is final when the window starts. Winners pay their bid (first price),
///         split among the bundle's rollups in proportion to their reserves; beneficiaries pull.
/// @dev Schedule of window w (S = slotsPerWindow): the window covers slots [w*S, (w+1)*S);
///      resolution covers the resolutionSlots slots before w*S, reveal the revealSlots before those,
///      commit the commitSlots before those. Windows whose commit phase would start before slot 0
///      are never auctioned. Registrations and reserve changes take effect from firstOpenWindow(),
///      the first window whose commit phase has not started, so a running auction never sees them.
contract SequencingMarketplace is ReentrancyGuard {
    enum Phase {
        NotOpen,
        Commit,
        Reveal,
        Resolution,
        Final
    }

    struct Params {
        uint64 genesisTime;
        uint64 secondsPerSlot;
        uint64 slotsPerWindow;
        uint64 commitSlots;
        uint64 revealSlots;
        uint64 resolutionSlots;
        uint64 withdrawalDelaySeconds;
        uint32 maxBidsPerWindow;
        uint32 maxBidsPerBidder;
        uint16 forfeitBps;
        address treasury;
    }

    /// @dev One version of a rollup's terms, valid from `effectiveWindow` until the next version.
    struct Terms {
        uint64 effectiveWindow;
        uint96 reserveWei;
        address defaultSequencer;
        address beneficiary;
    }

    struct Rollup {
        uint64 namespace;
        address operator;
        Terms[] versions;
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

    struct PendingWithdrawal {
        uint128 amount;
        uint64 unlockTime;
    }

    uint256 public constant MAX_ROLLUPS = 256;
    uint256 private constant BPS = 10_000;

    uint64 private immutable _genesisTime;
    uint64 private immutable _secondsPerSlot;
    uint64 private immutable _slotsPerWindow;
    uint64 private immutable _commitSlots;
    uint64 private immutable _revealSlots;
    uint64 private immutable _resolutionSlots;
    uint64 private immutable _withdrawalDelaySeconds;
    uint32 private immutable _maxBidsPerWindow;
    uint32 private immutable _maxBidsPerBidder;
    uint16 private immutable _forfeitBps;
    address private immutable _treasury;

    Rollup[] private _rollups;
    mapping(uint64 namespace => uint256 indexPlusOne) private _indexOfNamespace;
    mapping(address account => uint256 weiAmount) private _free;
    mapping(address account => PendingWithdrawal) private _pending;
    mapping(address account => uint256 weiAmount) private _proceeds;
    mapping(uint64 window => Auction) private _auctions;
    mapping(uint64 window => mapping(uint256 bidId => Bid)) private _bids;
    mapping(uint64 window => mapping(address bidder => uint256 count)) private _bidsPerBidder;
    /// @dev The best allocation's bid ids, eight uint32 per word.
    mapping(uint64 window => mapping(uint256 word => uint256 packed)) private _allocation;
    mapping(uint64 window => uint256 bits) private _settled;

    /// @notice A rollup joined the registry; it takes part in auctions from `effectiveWindow`.
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
    /// @notice ETH was escrowed for bidding.
    event Deposited(address indexed account, uint256 amountWei);
    /// @notice Free escrow moved to a pending withdrawal, payable from `unlockTime`.
    event WithdrawalRequested(address indexed account, uint256 amountWei, uint64 unlockTime);
    /// @notice A pending escrow withdrawal was paid.
    event Withdrawn(address indexed account, uint256 amountWei);
    /// @notice A sealed bid was committed with locked collateral.
    event BidCommitted(uint64 indexed window, uint32 indexed bidId, address indexed bidder, uint96 collateral, bytes32 commitment);
    /// @notice A bid was revealed.
    event BidRevealed(uint64 indexed window, uint32 indexed bidId, uint256 bundle, uint96 amount, address sequencer);
    /// @notice A better allocation became the window's best.
    event AllocationImproved(uint64 indexed window, address indexed submitter, uint256 revenue, uint32[] bidIds);
    /// @notice A bid's collateral was settled after its window started.
    event BidSettled(
        uint64 indexed window, uint32 indexed bidId, bool won, uint256 paidWei, uint256 refundedWei, uint256 forfeitedWei
    );
    /// @notice A beneficiary (or the treasury) pulled its proceeds.
    event ProceedsWithdrawn(address indexed account, uint256 amountWei);

    error SequencingMarketplace__BadParams();
    error SequencingMarketplace__ZeroAddress();
    error SequencingMarketplace__RegistryFull(uint256 maxRollups);
    error SequencingMarketplace__NamespaceTaken(uint64 namespace, uint8 index);
    error SequencingMarketplace__UnknownRollup(uint256 index);
    error SequencingMarketplace__NotOperator(uint8 index, address caller);
    error SequencingMarketplace__InsufficientBalance(uint256 available, uint256 needed);
    error SequencingMarketplace__NothingToWithdraw(address account);
    error SequencingMarketplace__WithdrawalLocked(uint64 unlockTime, uint256 nowSeconds);
    error SequencingMarketplace__TransferFailed(address to, uint256 amountWei);
    error SequencingMarketplace__WrongPhase(uint64 window, Phase expected, Phase actual);
    error SequencingMarketplace__ZeroCollateral();
    error SequencingMarketplace__EmptyCommitment();
    error SequencingMarketplace__WindowBidCap(uint64 window, uint256 cap);
    error SequencingMarketplace__BidderBidCap(uint64 window, address bidder, uint256 cap);
    error SequencingMarketplace__UnknownBid(uint64 window, uint256 bidId);
    error SequencingMarketplace__NotBidder(uint64 window, uint32 bidId, address caller);
    error SequencingMarketplace__AlreadyRevealed(uint64 window, uint32 bidId);
    error SequencingMarketplace__RevealMismatch(uint64 window, uint32 bidId, bytes32 expected, bytes32 got);
    error SequencingMarketplace__AmountExceedsCollateral(uint96 amount, uint96 collateral);
    error SequencingMarketplace__EmptyBundle();
    error SequencingMarketplace__EmptyAllocation();
    error SequencingMarketplace__AllocationTooLarge(uint256 length, uint256 cap);
    error SequencingMarketplace__AllocationNotSorted(uint32 previousBidId, uint32 bidId);
    error SequencingMarketplace__BidNotRevealed(uint64 window, uint32 bidId);
    error SequencingMarketplace__OverlappingBundles(uint32 bidId, uint256 overlap);
    error SequencingMarketplace__RollupNotInWindow(uint64 window, uint256 index);
    error SequencingMarketplace__ReserveNotMet(uint32 bidId, uint256 amount, uint256 reserve);
    error SequencingMarketplace__NotBetter(uint256 revenue, uint256 bestRevenue);
    error SequencingMarketplace__AlreadySettled(uint64 window, uint32 bidId);
    error SequencingMarketplace__UnknownNamespace(uint64 namespace);

    /// @param p the slot clock, phase lengths, escrow delay, caps, forfeit rate and treasury
    constructor(Params memory p) {
        if (
            p.secondsPerSlot == 0 || p.slotsPerWindow == 0 || p.commitSlots == 0 || p.revealSlots == 0
                || p.resolutionSlots == 0 || p.maxBidsPerWindow == 0 || p.maxBidsPerWindow > 256
                || p.maxBidsPerBidder == 0 || p.forfeitBps > BPS || p.genesisTime > block.timestamp
        ) revert SequencingMarketplace__BadParams();
        if (p.treasury == address(0)) revert SequencingMarketplace__ZeroAddress();
        _genesisTime = p.genesisTime;
        _secondsPerSlot = p.secondsPerSlot;
        _slotsPerWindow = p.slotsPerWindow;
        _commitSlots = p.commitSlots;
        _revealSlots = p.revealSlots;
        _resolutionSlots = p.resolutionSlots;
        _withdrawalDelaySeconds = p.withdrawalDelaySeconds;
        _maxBidsPerWindow = p.maxBidsPerWindow;
        _maxBidsPerBidder = p.maxBidsPerBidder;
        _forfeitBps = p.forfeitBps;
        _treasury = p.treasury;
    }

    // ---------------------------------------------------------------- registry

    /// @notice Registers the caller's rollup under the next free index (0..255).
    /// @param namespace the rollup's HotShot namespace id (unique)
    /// @param reserveWei the reserve price per window
    /// @param defaultSequencer who sequences the rollup in windows where its slot is unsold
    /// @param beneficiary who receives the rollup's share of auction proceeds
    /// @return index the rollup's bundle bit
    /// @return effectiveWindow the first window whose auction includes the rollup
    function registerRollup(uint64 namespace, uint96 reserveWei, address defaultSequencer, address beneficiary)
        external
        returns (uint8 index, uint64 effectiveWindow)
    {
        if (_rollups.length >= MAX_ROLLUPS) revert SequencingMarketplace__RegistryFull(MAX_ROLLUPS);
        uint256 taken = _indexOfNamespace[namespace];
        if (taken != 0) revert SequencingMarketplace__NamespaceTaken(namespace, uint8(taken - 1));
        if (defaultSequencer == address(0) || beneficiary == address(0)) revert SequencingMarketplace__ZeroAddress();
        index = uint8(_rollups.length);
        effectiveWindow = firstOpenWindow();
        Rollup storage r = _rollups.push();
        r.namespace = namespace;
        r.operator = msg.sender;
        r.versions.push(Terms(effectiveWindow, reserveWei, defaultSequencer, beneficiary));
        _indexOfNamespace[namespace] = uint256(index) + 1;
        emit RollupRegistered(index, namespace, msg.sender, reserveWei, defaultSequencer, beneficiary, effectiveWindow);
    }

    /// @notice Changes a rollup's reserve, default sequencer and beneficiary from firstOpenWindow() on.
    /// @param index the rollup's index
    /// @param reserveWei the new reserve price per window
    /// @param defaultSequencer the new default sequencer
    /// @param beneficiary the new beneficiary
    /// @return effectiveWindow the first window the new terms apply to
    function updateRollupTerms(uint8 index, uint96 reserveWei, address defaultSequencer, address beneficiary)
        external
        returns (uint64 effectiveWindow)
    {
        if (index >= _rollups.length) revert SequencingMarketplace__UnknownRollup(index);
        Rollup storage r = _rollups[index];
        if (msg.sender != r.operator) revert SequencingMarketplace__NotOperator(index, msg.sender);
        if (defaultSequencer == address(0) || beneficiary == address(0)) revert SequencingMarketplace__ZeroAddress();
        effectiveWindow = firstOpenWindow();
        Terms memory t = Terms(effectiveWindow, reserveWei, defaultSequencer, beneficiary);
        Terms storage last = r.versions[r.versions.length - 1];
        // Versions stay sorted by window; a second change before the same window replaces the first.
        if (last.effectiveWindow == effectiveWindow) r.versions[r.versions.length - 1] = t;
        else r.versions.push(t);
        emit RollupTermsUpdated(index, reserveWei, defaultSequencer, beneficiary, effectiveWindow);
    }

    // ---------------------------------------------------------------- escrow

    /// @notice Escrows the attached ETH as free bidding balance.
    function deposit() external payable {
        _free[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Moves free balance to a pending withdrawal, payable after the withdrawal delay
    ///         (a new request restarts the delay for the whole pending amount).
    /// @param amountWei how much to withdraw
    /// @return unlockTime when withdraw() pays out
    function requestWithdrawal(uint256 amountWei) external returns (uint64 unlockTime) {
        uint256 available = _free[msg.sender];
        if (amountWei == 0 || amountWei > available) {
            revert SequencingMarketplace__InsufficientBalance(available, amountWei);
        }
        unlockTime = uint64(block.timestamp + _withdrawalDelaySeconds);
        _free[msg.sender] = available - amountWei;
        PendingWithdrawal storage w = _pending[msg.sender];
        w.amount += uint128(amountWei);
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

    // ---------------------------------------------------------------- auction

    /// @notice Commits a sealed bid for `window`, locking `collateral` from the free balance.
    /// @param window the window bid for; its phase must be Commit
    /// @param commitment bidCommitment(window, msg.sender, bundle, amount, sequencer, salt)
    /// @param collateral locked until settlement; the revealed amount may not exceed it
    /// @return bidId the bid's id within the window
    function commitBid(uint64 window, bytes32 commitment, uint96 collateral) external returns (uint32 bidId) {
        _requirePhase(window, Phase.Commit);
        if (commitment == bytes32(0)) revert SequencingMarketplace__EmptyCommitment();
        if (collateral == 0) revert SequencingMarketplace__ZeroCollateral();
        Auction storage a = _auctions[window];
        bidId = a.bidCount;
        if (bidId >= _maxBidsPerWindow) revert SequencingMarketplace__WindowBidCap(window, _maxBidsPerWindow);
        uint256 mine = _bidsPerBidder[window][msg.sender];
        if (mine >= _maxBidsPerBidder) revert SequencingMarketplace__BidderBidCap(window, msg.sender, _maxBidsPerBidder);
        uint256 available = _free[msg.sender];
        if (collateral > available) revert SequencingMarketplace__InsufficientBalance(available, collateral);

        _free[msg.sender] = available - collateral;
        a.bidCount = bidId + 1;
        _bidsPerBidder[window][msg.sender] = mine + 1;
        Bid storage b = _bids[window][bidId];
        b.bidder = msg.sender;
        b.collateral = collateral;
        b.commitmentOrBundle = commitment;
        emit BidCommitted(window, bidId, msg.sender, collateral, commitment);
    }

    /// @notice Reveals a committed bid during the window's reveal phase.
    /// @param window the window
    /// @param bidId the bid's id
    /// @param bundle bitmap of rollup indexes bid for
    /// @param amount the price offered (at most the collateral)
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
        if (amount > b.collateral) revert SequencingMarketplace__AmountExceedsCollateral(amount, b.collateral);
        if (bundle == 0) revert SequencingMarketplace__EmptyBundle();
        if (sequencer == address(0)) revert SequencingMarketplace__ZeroAddress();

        b.commitmentOrBundle = bytes32(bundle);
        b.sequencer = sequencer;
        b.amount = amount;
        emit BidRevealed(window, bidId, bundle, amount, sequencer);
    }

    /// @notice Proposes an allocation for `window`: revealed bids with pairwise-disjoint bundles,
    ///         each clearing the summed reserves of its rollups. Kept when its revenue beats the best
    ///         so far, or equals it with a lower keccak256(abi.encodePacked(bidIds)) (each id
    ///         padded to a 32-byte word, as abi.encodePacked does for array elements).
    /// @param window the window; its phase must be Resolution
    /// @param bidIds the bids, in strictly ascending id order
    /// @return revenue the allocation's revenue
    function submitAllocation(uint64 window, uint32[] calldata bidIds) external returns (uint256 revenue) {
        _requirePhase(window, Phase.Resolution);
        uint256 n = bidIds.length;
        if (n == 0) revert SequencingMarketplace__EmptyAllocation();
        if (n > _maxBidsPerWindow) revert SequencingMarketplace__AllocationTooLarge(n, _maxBidsPerWindow);
        uint256 covered = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint32 id = bidIds[i];
            if (i > 0 && id <= bidIds[i - 1]) revert SequencingMarketplace__AllocationNotSorted(bidIds[i - 1], id);
            Bid storage b = _bids[window][id];
            if (b.sequencer == address(0)) revert SequencingMarketplace__BidNotRevealed(window, id);
            uint256 bundle = uint256(b.commitmentOrBundle);
            uint256 overlap = bundle & covered;
            if (overlap != 0) revert SequencingMarketplace__OverlappingBundles(id, overlap);
            covered |= bundle;
            uint256 amount = b.amount;
            uint256 reserve = _reserveOf(window, bundle);
            if (amount < reserve) revert SequencingMarketplace__ReserveNotMet(id, amount, reserve);
            revenue += amount;
        }
        Auction storage a = _auctions[window];
        bytes32 h = keccak256(abi.encodePacked(bidIds));
        uint256 best = a.revenue;
        bool better = revenue > best || (revenue == best && (a.allocationLength == 0 || h < a.allocationHash));
        if (!better) revert SequencingMarketplace__NotBetter(revenue, best);

        a.revenue = uint128(revenue);
        a.allocationHash = h;
        a.allocationLength = uint32(n);
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

    /// @notice Settles one bid once its window started: a winner pays its amount (split among its
    ///         rollups' beneficiaries by reserve) and gets the rest of its collateral back; a revealed
    ///         loser gets all of it back; an unrevealed bid forfeits forfeitBps of it to the treasury.
    ///         Refunds go to the bidder's free balance. Anyone may call it.
    /// @param window the window (must be Final)
    /// @param bidId the bid
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
            forfeited = collateral * _forfeitBps / BPS;
            _proceeds[_treasury] += forfeited;
        }
        uint256 refunded = collateral - paid - forfeited;
        _free[bidder] += refunded;
        emit BidSettled(window, bidId, won, paid, refunded, forfeited);
    }

    // ---------------------------------------------------------------- views

    /// @notice The commitment a bidder must commit to.
    function bidCommitment(
        uint64 window,
        address bidder,
        uint256 bundle,
        uint96 amount,
        address sequencer,
        bytes32 salt
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(window, bidder, bundle, amount, sequencer, salt));
    }

    /// @notice The current Ethereum slot: (block.timestamp - genesisTime) / secondsPerSlot.
    function currentSlot() public view returns (uint64) {
        return uint64((block.timestamp - _genesisTime) / _secondsPerSlot);
    }

    /// @notice The window containing the current slot.
    function currentWindow() external view returns (uint64) {
        return currentSlot() / _slotsPerWindow;
    }

    /// @notice The first window whose commit phase has not started (where new terms take effect).
    function firstOpenWindow() public view returns (uint64) {
        return uint64((currentSlot() + _auctionSlots()) / _slotsPerWindow + 1);
    }

    /// @notice The auction phase of `window` at the current slot.
    function phaseOf(uint64 window) public view returns (Phase) {
        uint256 start = uint256(window) * _slotsPerWindow;
        uint256 slot = currentSlot();
        if (slot >= start) return Phase.Final;
        if (start < _auctionSlots()) return Phase.NotOpen; // never auctioned
        if (slot >= start - _resolutionSlots) return Phase.Resolution;
        if (slot >= start - _resolutionSlots - _revealSlots) return Phase.Reveal;
        if (slot >= start - _auctionSlots()) return Phase.Commit;
        return Phase.NotOpen;
    }

    /// @notice The first slot of each phase of `window`'s auction, and of the window itself.
    function scheduleOf(uint64 window)
        external
        view
        returns (uint256 commitSlot, uint256 revealSlot, uint256 resolutionSlot, uint256 windowSlot)
    {
        windowSlot = uint256(window) * _slotsPerWindow;
        resolutionSlot = windowSlot - _resolutionSlots;
        revealSlot = resolutionSlot - _revealSlots;
        commitSlot = revealSlot - _commitSlots;
    }

    /// @notice The winning sequencer of `namespace` in `window`, the rollup's default sequencer when
    ///         its slot was unsold, or address(0) when the rollup is not registered for that window.
    /// @dev Reverts until the window has started (the allocation is final from then on).
    function winnerOf(uint64 window, uint64 namespace) external view returns (address) {
        Phase p = phaseOf(window);
        if (p != Phase.Final) revert SequencingMarketplace__WrongPhase(window, Phase.Final, p);
        uint256 indexPlusOne = _indexOfNamespace[namespace];
        if (indexPlusOne == 0) revert SequencingMarketplace__UnknownNamespace(namespace);
        uint256 index = indexPlusOne - 1;
        Rollup storage r = _rollups[index];
        if (r.versions[0].effectiveWindow > window) return address(0);
        uint256 bit = uint256(1) << index;
        Auction storage a = _auctions[window];
        for (uint256 i = 0; i < a.allocationLength; ++i) {
            Bid storage b = _bids[window][_allocationAt(window, i)];
            if (uint256(b.commitmentOrBundle) & bit != 0) return b.sequencer;
        }
        return _termsAt(index, window).defaultSequencer;
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

    /// @notice How many rollups are registered.
    function rollupCount() external view returns (uint256) {
        return _rollups.length;
    }

    /// @notice A rollup's namespace, operator and the window it joined.
    function rollupOf(uint8 index) external view returns (uint64 namespace, address operator, uint64 firstWindow) {
        if (index >= _rollups.length) revert SequencingMarketplace__UnknownRollup(index);
        Rollup storage r = _rollups[index];
        return (r.namespace, r.operator, r.versions[0].effectiveWindow);
    }

    /// @notice The index of `namespace`'s rollup.
    function indexOfNamespace(uint64 namespace) external view returns (uint8) {
        uint256 indexPlusOne = _indexOfNamespace[namespace];
        if (indexPlusOne == 0) revert SequencingMarketplace__UnknownNamespace(namespace);
        return uint8(indexPlusOne - 1);
    }

    /// @notice The terms of rollup `index` that apply to `window` (zeros before it joined).
    function termsAt(uint8 index, uint64 window)
        external
        view
        returns (uint96 reserveWei, address defaultSequencer, address beneficiary)
    {
        if (index >= _rollups.length) revert SequencingMarketplace__UnknownRollup(index);
        if (_rollups[index].versions[0].effectiveWindow > window) return (0, address(0), address(0));
        Terms storage t = _termsAt(index, window);
        return (t.reserveWei, t.defaultSequencer, t.beneficiary);
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

    /// @notice The deployment parameters.
    function params() external view returns (Params memory) {
        return Params(
            _genesisTime,
            _secondsPerSlot,
            _slotsPerWindow,
            _commitSlots,
            _revealSlots,
            _resolutionSlots,
            _withdrawalDelaySeconds,
            _maxBidsPerWindow,
            _maxBidsPerBidder,
            _forfeitBps,
            _treasury
        );
    }

    // ---------------------------------------------------------------- internals

    function _auctionSlots() private view returns (uint256) {
        return uint256(_commitSlots) + _revealSlots + _resolutionSlots;
    }

    function _requirePhase(uint64 window, Phase expected) private view {
        Phase actual = phaseOf(window);
        if (actual != expected) revert SequencingMarketplace__WrongPhase(window, expected, actual);
    }

    /// @dev Binary search for the version in force at `window`; callers ensure the rollup had joined.
    function _termsAt(uint256 index, uint64 window) private view returns (Terms storage) {
        Terms[] storage v = _rollups[index].versions;
        uint256 hi = v.length - 1;
        if (v[hi].effectiveWindow <= window) return v[hi];
        uint256 lo = 0;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            if (v[mid].effectiveWindow <= window) lo = mid;
            else hi = mid - 1;
        }
        return v[lo];
    }

    /// @dev Summed reserves of the bundle's rollups at `window`; every rollup must take part in it.
    function _reserveOf(uint64 window, uint256 bundle) private view returns (uint256 reserve) {
        uint256 count = _rollups.length;
        while (bundle != 0) {
            uint256 index = Math.log2(bundle & (~bundle + 1));
            bundle &= bundle - 1;
            if (index >= count || _rollups[index].versions[0].effectiveWindow > window) {
                revert SequencingMarketplace__RollupNotInWindow(window, index);
            }
            reserve += _termsAt(index, window).reserveWei;
        }
    }

    /// @dev Credits `amount` to the bundle's beneficiaries in proportion to their reserves (equally
    ///      when every reserve is zero); the rounding remainder goes to the highest index.
    function _distribute(uint64 window, uint256 bundle, uint256 amount) private {
        uint256 reserveSum = _reserveOf(window, bundle);
        uint256 members = _popCount(bundle);
        uint256 given = 0;
        uint256 seen = 0;
        while (bundle != 0) {
            uint256 index = Math.log2(bundle & (~bundle + 1));
            bundle &= bundle - 1;
            Terms storage t = _termsAt(index, window);
            ++seen;
            uint256 share;
            if (seen == members) share = amount - given;
            else if (reserveSum == 0) share = amount / members;
            else share = amount * t.reserveWei / reserveSum;
            given += share;
            _proceeds[t.beneficiary] += share;
        }
    }

    function _popCount(uint256 x) private pure returns (uint256 count) {
        while (x != 0) {
            x &= x - 1;
            ++count;
        }
    }

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

    function _send(address to, uint256 amountWei) private {
        (bool ok,) = to.call{value: amountWei}("");
        if (!ok) revert SequencingMarketplace__TransferFailed(to, amountWei);
    }
}
