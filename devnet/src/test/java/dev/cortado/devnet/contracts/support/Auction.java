package dev.cortado.devnet.contracts.support;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.nio.ByteBuffer;

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

    /** Marketplace parameters with the given clock, phases and caps; 10% forfeit to {@code treasury}. */
    public static SequencingMarketplace.Params params(long genesisTime, long secondsPerSlot, long slotsPerWindow,
            long commitSlots, long revealSlots, long resolutionSlots, long withdrawalDelaySeconds,
            long maxBidsPerWindow, long maxBidsPerBidder, String treasury) {
        return new SequencingMarketplace.Params(BigInteger.valueOf(genesisTime), BigInteger.valueOf(secondsPerSlot),
                BigInteger.valueOf(slotsPerWindow), BigInteger.valueOf(commitSlots), BigInteger.valueOf(revealSlots),
                BigInteger.valueOf(resolutionSlots), BigInteger.valueOf(withdrawalDelaySeconds),
                BigInteger.valueOf(maxBidsPerWindow), BigInteger.valueOf(maxBidsPerBidder), BigInteger.valueOf(1_000),
                treasury);
    }

    /** Mines a block one second into {@code slot}; time only moves forward. */
    public void goToSlot(long slot) {
        long target = genesisTime + slot * secondsPerSlot + 1;
        if (target <= l1.latestTimestampSec()) {
            throw new IllegalStateException("slot " + slot + " is in the past");
        }
        l1.setNextBlockTimestamp(target);
        l1.mine();
    }

    /** keccak256(abi.encode(window, bidder, bundle, amount, sequencer, salt)), as SequencingMarketplace.bidCommitment. */
    public static byte[] commitment(long window, String bidder, BigInteger bundle, BigInteger amount, String sequencer,
            byte[] salt) {
        return Abi.encoder().uint64(window).address(Address.fromHex(bidder)).uint256(bundle).uint256(amount)
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
