package dev.cortado.devnet.contracts.support;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Marketplace test helpers: the slot clock driven by Anvil time travel, and sealed-bid commitments. */
public final class Auction {
    private final L1Devnet l1;
    private final long genesisTime;
    private final long secondsPerSlot;

    public Auction(L1Devnet l1, long genesisTime, long secondsPerSlot) {
        this.l1 = l1;
        this.genesisTime = genesisTime;
        this.secondsPerSlot = secondsPerSlot;
    }

    /**
     * Marketplace parameters with the given clock, phases (finality: the slots between the end of resolution and
     * the window), bid cap, bond and commit fee; fees to {@code treasury}.
     */
    public static SequencingMarketplace.Params params(long genesisTime, long secondsPerSlot, long slotsPerWindow,
            long commitSlots, long revealSlots, long resolutionSlots, long finalitySlots, long withdrawalDelaySeconds,
            long maxBidsPerWindow, long bidBondWei, long commitFeeWei, String treasury) {
        return new SequencingMarketplace.Params(BigInteger.valueOf(genesisTime), BigInteger.valueOf(secondsPerSlot),
                BigInteger.valueOf(slotsPerWindow), BigInteger.valueOf(commitSlots), BigInteger.valueOf(revealSlots),
                BigInteger.valueOf(resolutionSlots), BigInteger.valueOf(finalitySlots), BigInteger.valueOf(withdrawalDelaySeconds),
                BigInteger.valueOf(maxBidsPerWindow), BigInteger.valueOf(bidBondWei), BigInteger.valueOf(commitFeeWei),
                treasury);
    }

    public long genesisTime() {
        return genesisTime;
    }

    /** Mines a block one second into {@code slot}; time only moves forward. */
    public void goToSlot(long slot) {
        goToSecond(slot * secondsPerSlot + 1);
    }

    /** Makes the next block carry genesis + {@code offset} seconds, without mining it. */
    public void nextBlockAt(long offset) {
        long target = genesisTime + offset;
        if (target <= l1.latestTimestampSec()) {
            throw new IllegalStateException("second " + offset + " is in the past");
        }
        l1.setNextBlockTimestamp(target);
    }

    /** Mines a block at genesis + {@code offset} seconds; time only moves forward. */
    public void goToSecond(long offset) {
        long target = genesisTime + offset;
        if (target <= l1.latestTimestampSec()) {
            throw new IllegalStateException("second " + offset + " is in the past");
        }
        l1.setNextBlockTimestamp(target);
        l1.mine();
    }

    /** keccak256("cortado/bid/v1"), the domain tag of bid commitments. */
    public static final Bytes32 TAG_BID = Keccak.hash("cortado/bid/v1".getBytes(StandardCharsets.US_ASCII));

    /**
     * keccak256(abi.encode(TAG_BID, chainId, market, window, bidder, bundle, amount, sequencer, salt)),
     * as SequencingMarketplace.bidCommitment.
     */
    public static byte[] commitment(long chainId, String market, long window, String bidder, BigInteger bundle,
            BigInteger amount, String sequencer, byte[] salt) {
        return Abi.encoder().bytes32(TAG_BID).uint256(chainId).address(Address.fromHex(market)).uint64(window)
                .address(Address.fromHex(bidder)).uint256(bundle).uint256(amount)
                .address(Address.fromHex(sequencer)).bytes32(Bytes32.of(salt)).hash().bytes();
    }

    public static byte[] salt(int i) {
        return ByteBuffer.allocate(32).putInt(28, i).array();
    }

    /** A bundle bitmap over the given rollup indexes. */
    public static BigInteger bundle(int... indexes) {
        BigInteger b = BigInteger.ZERO;
        for (int i : indexes) {
            b = b.setBit(i);
        }
        return b;
    }
}
