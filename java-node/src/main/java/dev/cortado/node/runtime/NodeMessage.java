package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.Optional;

/** Everything nodes say to each other, over the mesh or through a broker. Encoded by {@link NodeCodec}. */
public sealed interface NodeMessage {
  /** A leader's proposal with the block it commits to: header, namespace table and payload. */
  record ProposalMsg(Proposal proposal, BlockData block) implements NodeMessage {}

  record VoteMsg(QuorumVote vote) implements NodeMessage {}

  record TimeoutVoteMsg(TimeoutVote vote) implements NodeMessage {}

  /** Submitted transactions gossiped so whoever leads next holds them. */
  record TxBatch(List<Tx> txs) implements NodeMessage {}

  record Tx(long namespace, byte[] payload) {}

  /** Ask for the leaf with {@code commitment} and up to {@code max} of its ancestors. */
  record FetchLeaves(Bytes32 commitment, int max) implements NodeMessage {}

  record LeavesReply(List<Leaf> leaves) implements NodeMessage {}

  /** Ask for decided blocks from {@code fromHeight} on (catch-up). */
  record BlocksRequest(long fromHeight, int max) implements NodeMessage {}

  /**
   * Decided blocks, ascending and contiguous, and the proof that the last one is decided: its child
   * leaf from the next view and the QC certifying that child (the two-chain rule).
   */
  record BlocksReply(List<DecidedBlockData> blocks, Optional<DecideProof> proof) implements NodeMessage {}

  /** A block's parts as they travel: encoded header, namespace table and payload bytes. */
  record BlockData(byte[] header, byte[] nsTable, byte[] payload) {}

  record DecidedBlockData(Leaf leaf, BlockData block) {}

  record DecideProof(Leaf certifiedChild, QuorumCertificate commitQc) {}
}
