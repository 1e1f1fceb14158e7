package dev.cortado.node.api;

import dev.cortado.lightclient.api.ConfirmationJson;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;

/**
 * What the confirmation levels read besides the decided chain, installed by a node that follows L1 (see
 * {@link HttpApiServer#confirmations}). Without one, decided transactions are HotShot-final and nothing is
 * pre-confirmed or L1-final.
 */
public interface ConfirmationSource {
    /**
     * The pooled bundle holding {@code txHash}: pooled only after its signature recovered and its signer held
     * every restricted namespace it touches, which is what a pre-confirmation promises.
     */
    Optional<Pooled> pooled(Bytes32 txHash);

    /**
     * LightClient.sol's finalized state as read at an L1 block that is itself final (the follower's
     * confirmation depth or the {@code finalized} tag); empty when no light client is followed or none is
     * deployed yet. Unchecked: {@link Confirmations} compares its root with this node's own chain before
     * believing it.
     */
    Optional<ConfirmationJson.L1FinalJson> lightClientOnL1();

    /** A pooled transaction and the bundle that holds it. */
    record Pooled(Transaction transaction, ConfirmationJson.PreConfirmedJson bundle) {
    }
}
