package dev.cortado.node.runtime;

/** A proposed or fetched block does not match what it claims to be; the message names the check. */
final class BlockRejected extends Exception {
  BlockRejected(String reason) {
    super(reason, null, false, false);
  }
}
