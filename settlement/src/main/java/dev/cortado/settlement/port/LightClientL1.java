package dev.cortado.settlement.port;

import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;

/**
 * What a node reads from LightClient.sol: its finalized HotShot state, pinned to one L1 block so that the
 * answer is that block's and not whatever is latest when the call lands. The web3j adapter is
 * {@code dev.cortado.settlement.l1.Web3jLightClientL1}.
 */
public interface LightClientL1 extends AutoCloseable {

    /**
     * LightClient.sol's finalized state as of L1 block {@code blockNumber}, or empty when no contract was
     * deployed at that address by then.
     */
    Optional<Finalized> finalizedStateAt(long blockNumber);

    @Override
    void close();

    /**
     * The certified HotShot state the contract holds: {@code blockCommRoot} commits to headers
     * {@code 0..height}.
     */
    record Finalized(long view, long height, Bytes32 blockCommRoot) {
        public Finalized {
            if (view < 0 || height < 0) {
                throw new IllegalArgumentException("light-client view and height must be >= 0, got " + view + ", " + height);
            }
            java.util.Objects.requireNonNull(blockCommRoot, "blockCommRoot");
        }
    }
}
