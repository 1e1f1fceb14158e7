package dev.cortado.settlement.lightclient;

import dev.cortado.protocol.types.Bytes32;

/**
 * Read-only questions to LightClient.sol, answered as typed results rather than reverts. Open one
 * with {@link LightClientPoster#openReader}; transient RPC failures are retried a bounded number of
 * times, then raise {@code L1Client.L1Exception}.
 */
public interface LightClientReader extends AutoCloseable {

    /** The retained certified root that covers {@code height}, or why none does yet. */
    CommitmentLookup getHotShotCommitment(long height);

    /** Whether updates lagged more than {@code thresholdBlocks} L1 blocks at {@code l1Block}. */
    EscapeHatchLag lagOverEscapeHatchThreshold(long l1Block, long thresholdBlocks);

    /** The latest certified state. */
    FinalizedState finalizedState();

    /** The commitment of the stake table that certifies the next update. */
    Bytes32 stakeTableCommitment();

    /** The HotShot chain id bound into every signed digest. */
    long hotShotChainId();

    @Override
    void close();

    /** The contract's latest certified state. */
    record FinalizedState(long view, long height, Bytes32 blockCommRoot) {
    }

    sealed interface CommitmentLookup {
        /** {@code blockCommRoot} commits to headers {@code 0..certifiedHeight}, which include {@code height}. */
        record Covered(long height, long certifiedHeight, Bytes32 blockCommRoot) implements CommitmentLookup {
        }

        /** No certified state reaches {@code height}: the latest is {@code latestHeight}. */
        record NotCertified(long height, long latestHeight) implements CommitmentLookup {
        }
    }

    sealed interface EscapeHatchLag {
        /** The contract answered: {@code overThreshold} is true when updates lagged beyond the threshold. */
        record Answered(long l1Block, long thresholdBlocks, boolean overThreshold) implements EscapeHatchLag {
        }

        /** The contract cannot tell: the block is in the future or older than its retained history. */
        record Unanswerable(long l1Block, ContractRevert reason) implements EscapeHatchLag {
        }
    }
}
