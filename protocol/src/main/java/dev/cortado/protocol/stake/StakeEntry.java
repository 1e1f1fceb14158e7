package dev.cortado.protocol.stake;

import dev.cortado.protocol.crypto.BlsPublicKey;
import java.util.Objects;

/** One validator: its checked key, its stake in whole gwei, and whether it sits on the DA committee. */
public record StakeEntry(BlsPublicKey key, long stakeGwei, boolean daMember) {
    public StakeEntry {
        Objects.requireNonNull(key, "key");
        if (stakeGwei <= 0) {
            throw new IllegalArgumentException("stake must be positive, got " + stakeGwei + " gwei");
        }
    }
}
