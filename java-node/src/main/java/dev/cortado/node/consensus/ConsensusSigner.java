package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;

/** The replica's own key: the only place a signature is made. The real node backs it with a BLS secret key. */
public interface ConsensusSigner {
    /** This replica's index in the stake table. */
    int index();

    Signature sign(Bytes32 digest);
}
