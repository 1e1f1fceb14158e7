package dev.cortado.lightclient;

import dev.cortado.protocol.block.Transaction;

/** A transaction proven to be at {@code index} of its namespace in the certified block {@code height}. */
public record VerifiedTransaction(long height, int index, Transaction transaction) {
}
