package dev.cortado.lightclient;

import dev.cortado.lightclient.api.ConfirmationJson;
import dev.cortado.protocol.types.Bytes32;
import java.net.URI;

/**
 * How final a transaction is, as {@link RollupClient#confirmation} established it.
 *
 * <ul>
 *   <li>{@link Level#UNKNOWN}: no node has it decided or pooled.</li>
 *   <li>{@link Level#PRE_CONFIRMED}: a node pooled it in the bundle {@code claim.preConfirmed()} names; this is
 *       that node's word (the sequencer's signed pre-confirmation is what binds the sequencer).</li>
 *   <li>{@link Level#HOTSHOT_FINAL}: decided; {@code proven} holds it proven against a certified header when the
 *       light-client certificates already reach its height (else null: the node's word, until they do).</li>
 *   <li>{@link Level#L1_FINAL}: decided and proven, and the node reports LightClient.sol covering its height at
 *       a final L1 block ({@code claim.l1()}). The client does not read L1 itself; a rollup that must not trust
 *       the node for this reads {@code LightClient.getHotShotCommitment} at a finalized block.</li>
 * </ul>
 *
 * @param claim the answering node's confirmation, null for UNKNOWN
 * @param node the node whose answer this is, null for UNKNOWN
 */
public record TransactionConfirmation(Bytes32 hash, Level level, VerifiedTransaction proven, ConfirmationJson claim, URI node) {
    public enum Level { UNKNOWN, PRE_CONFIRMED, HOTSHOT_FINAL, L1_FINAL }
}
