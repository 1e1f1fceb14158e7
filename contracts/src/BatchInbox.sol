// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title BatchInbox
/// @notice Allow-listed posters record compressed batches of HotShot blocks. Each batch covers a
///         contiguous height range that starts exactly where the previous one ended, and commits to
///         its data either as keccak256 of the calldata payload or as the blob versioned hashes.
contract BatchInbox is Ownable {
    /// @dev At most this many blobs per batch (the Prague per-block blob maximum).
    uint256 public constant MAX_BLOBS = 9;

    uint64 private _nextHeight;
    uint64 private _batchCount;
    mapping(address poster => bool allowed) private _posters;
    /// @dev keccak256(abi.encode(firstHeight, lastHeight, compressionId, dataHash)) per batch index,
    ///      where dataHash is keccak256(payload) or keccak256(abi.encodePacked(blobHashes)).
    mapping(uint64 batchIndex => bytes32 record) private _records;

    /// @notice A batch was recorded.
    event BatchPosted(
        uint64 indexed batchIndex,
        address indexed poster,
        uint64 firstHeight,
        uint64 lastHeight,
        uint8 compressionId,
        bytes32 dataHash,
        bytes32[] blobHashes
    );
    /// @notice A poster was added to or removed from the allow-list.
    event PosterUpdated(address indexed poster, bool allowed);

    error BatchInbox__NotPoster(address caller);
    error BatchInbox__HeightGap(uint64 expected, uint64 got);
    error BatchInbox__HeightOverlap(uint64 expected, uint64 got);
    error BatchInbox__InvalidRange(uint64 firstHeight, uint64 lastHeight);
    error BatchInbox__EmptyPayload();
    error BatchInbox__BlobCount(uint256 count, uint256 max);
    error BatchInbox__BlobMissing(uint256 index);
    /// @dev The transaction carries a blob at `index` that the batch would not record: a calldata
    ///      batch carries none, a blob batch exactly `blobCount`. Unrecorded blobs would be paid for
    ///      and pruned without any reader knowing they belonged to the batch.
    error BatchInbox__UnrecordedBlob(uint256 index);
    error BatchInbox__ZeroAddress();

    /// @param owner_ the account that manages the poster allow-list
    /// @param firstHeight the HotShot height the first batch must start at
    /// @param posters the initial allow-list
    constructor(address owner_, uint64 firstHeight, address[] memory posters) Ownable(owner_) {
        _nextHeight = firstHeight;
        for (uint256 i = 0; i < posters.length; ++i) {
            if (posters[i] == address(0)) revert BatchInbox__ZeroAddress();
            _posters[posters[i]] = true;
            emit PosterUpdated(posters[i], true);
        }
    }

    modifier onlyPoster() {
        if (!_posters[msg.sender]) revert BatchInbox__NotPoster(msg.sender);
        _;
    }

    /// @notice Adds or removes a batch poster.
    /// @param poster the poster's address
    /// @param allowed whether it may post
    function setPoster(address poster, bool allowed) external onlyOwner {
        if (poster == address(0)) revert BatchInbox__ZeroAddress();
        _posters[poster] = allowed;
        emit PosterUpdated(poster, allowed);
    }

    /// @notice Records a batch carried in this transaction's calldata (the transaction carries no blob).
    /// @param firstHeight first HotShot height in the batch; must equal nextHeight()
    /// @param lastHeight last HotShot height in the batch (inclusive)
    /// @param compressionId the codec the payload is compressed with
    /// @param payload the compressed batch
    /// @return batchIndex the index of the recorded batch
    function postCalldataBatch(uint64 firstHeight, uint64 lastHeight, uint8 compressionId, bytes calldata payload)
        external
        onlyPoster
        returns (uint64 batchIndex)
    {
        if (payload.length == 0) revert BatchInbox__EmptyPayload();
        if (blobhash(0) != bytes32(0)) revert BatchInbox__UnrecordedBlob(0);
        _checkRange(firstHeight, lastHeight);
        bytes32 dataHash = keccak256(payload);
        batchIndex = _record(firstHeight, lastHeight, compressionId, dataHash);
        emit BatchPosted(batchIndex, msg.sender, firstHeight, lastHeight, compressionId, dataHash, new bytes32[](0));
    }

    /// @notice Records a batch carried in this transaction's blobs, read with blobhash().
    /// @param firstHeight first HotShot height in the batch; must equal nextHeight()
    /// @param lastHeight last HotShot height in the batch (inclusive)
    /// @param compressionId the codec the blob contents are compressed with
    /// @param blobCount how many blobs the transaction carries: all are part of the batch, and a
    ///        transaction with more is refused
    /// @return batchIndex the index of the recorded batch
    function postBlobBatch(uint64 firstHeight, uint64 lastHeight, uint8 compressionId, uint256 blobCount)
        external
        onlyPoster
        returns (uint64 batchIndex)
    {
        if (blobCount == 0 || blobCount > MAX_BLOBS) revert BatchInbox__BlobCount(blobCount, MAX_BLOBS);
        _checkRange(firstHeight, lastHeight);
        bytes32[] memory hashes = new bytes32[](blobCount);
        for (uint256 i = 0; i < blobCount; ++i) {
            bytes32 h = blobhash(i);
            if (h == bytes32(0)) revert BatchInbox__BlobMissing(i);
            hashes[i] = h;
        }
        if (blobhash(blobCount) != bytes32(0)) revert BatchInbox__UnrecordedBlob(blobCount);
        bytes32 dataHash = keccak256(abi.encodePacked(hashes));
        batchIndex = _record(firstHeight, lastHeight, compressionId, dataHash);
        emit BatchPosted(batchIndex, msg.sender, firstHeight, lastHeight, compressionId, dataHash, hashes);
    }

    /// @notice The height the next batch must start at.
    function nextHeight() external view returns (uint64) {
        return _nextHeight;
    }

    /// @notice How many batches were recorded.
    function batchCount() external view returns (uint64) {
        return _batchCount;
    }

    /// @notice Whether `poster` is allow-listed.
    function isPoster(address poster) external view returns (bool) {
        return _posters[poster];
    }

    /// @notice The record hash of batch `batchIndex` (zero when absent):
    ///         keccak256(abi.encode(firstHeight, lastHeight, compressionId, dataHash)).
    function batchRecord(uint64 batchIndex) external view returns (bytes32) {
        return _records[batchIndex];
    }

    function _checkRange(uint64 firstHeight, uint64 lastHeight) private view {
        uint64 expected = _nextHeight;
        if (firstHeight > expected) revert BatchInbox__HeightGap(expected, firstHeight);
        if (firstHeight < expected) revert BatchInbox__HeightOverlap(expected, firstHeight);
        if (lastHeight < firstHeight || lastHeight == type(uint64).max) {
            revert BatchInbox__InvalidRange(firstHeight, lastHeight);
        }
    }

    function _record(uint64 firstHeight, uint64 lastHeight, uint8 compressionId, bytes32 dataHash)
        private
        returns (uint64 batchIndex)
    {
        batchIndex = _batchCount;
        _records[batchIndex] = keccak256(abi.encode(firstHeight, lastHeight, compressionId, dataHash));
        _batchCount = batchIndex + 1;
        _nextHeight = lastHeight + 1;
    }
}
