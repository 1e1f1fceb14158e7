package dev.cortado.lightclient.api;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceLeaf;

/** A namespace leaf's data without its namespace (given alongside). */
public record NamespaceLeafJson(String txRoot, long txCount, long byteLength) {
    public static NamespaceLeafJson of(NamespaceLeaf leaf) {
        return new NamespaceLeafJson(leaf.txRoot().toHex(), leaf.txCount(), leaf.byteLength());
    }

    public NamespaceLeaf toLeaf(NamespaceId ns) {
        return new NamespaceLeaf(ns, Json.bytes32(txRoot, "txRoot"), txCount, byteLength);
    }
}
