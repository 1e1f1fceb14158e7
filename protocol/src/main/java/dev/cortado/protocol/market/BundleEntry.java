package dev.cortado.protocol.market;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.types.Bytes32;

/** One transaction of a bundle as the signature covers it: its namespace and its network transaction hash. */
public record BundleEntry(NamespaceId namespace, Bytes32 txHash) {
    public BundleEntry {
        if (namespace == null || txHash == null) throw new IllegalArgumentException("entry needs a namespace and a hash");
    }
}
