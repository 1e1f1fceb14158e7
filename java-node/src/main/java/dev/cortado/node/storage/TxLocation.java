package dev.cortado.node.storage;

/** Where a decided transaction sits: block height, namespace and index within the namespace. */
public record TxLocation(long height, long namespace, int index) {}
