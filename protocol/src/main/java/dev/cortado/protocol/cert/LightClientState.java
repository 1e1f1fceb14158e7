package dev.cortado.protocol.cert;

import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.Objects;

/**
 * The state a decided block hands to L1: its view and height, the root over header commitments
 * {@code 0..height}, and the commitment of the stake table that certifies it.
 */
public record LightClientState(View view, Height height, Bytes32 blockCommRoot, Bytes32 stakeTableComm) {
    public LightClientState {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(height, "height");
        Objects.requireNonNull(blockCommRoot, "blockCommRoot");
        Objects.requireNonNull(stakeTableComm, "stakeTableComm");
    }

    /** The digest validators sign (see {@link Digests#lcState}). */
    public Bytes32 digest(long chainId) {
        return Digests.lcState(chainId, view, height, blockCommRoot, stakeTableComm);
    }
}
