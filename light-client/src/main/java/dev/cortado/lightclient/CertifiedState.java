package dev.cortado.lightclient;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.cert.LightClientState;

/** A light-client state whose certificate verified, with its own block's verified header. */
public record CertifiedState(LightClientState state, BlockHeader header) {
    public long height() {
        return state.height().value();
    }

    /** The number of headers the state's blockCommRoot covers. */
    public long headerCount() {
        return height() + 1;
    }
}
