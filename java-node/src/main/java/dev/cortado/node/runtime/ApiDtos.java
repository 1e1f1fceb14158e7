package dev.cortado.node.runtime;

import java.util.List;
import java.util.Map;

/**
 * JSON shapes of the node API that the light client does not define (see openapi.json). Blocks,
 * namespaces and transactions are served as the light client's own records in
 * {@code dev.cortado.lightclient.api}.
 */
public final class ApiDtos {
    private ApiDtos() {}

    /**
     * @param market the sequencing-rights state after a decided height; null when not following L1
     * @param rights the sequencing rights this node enforces after its decided tip; null when it follows no L1
     */
    public record Status(long height, long view, int leader, int nodeIndex, String publicKey, List<String> peers,
            String broker, int mempoolTransactions, long oldestHeight, MarketStatus market, Rights rights) {}

    /**
     * The window's state after decided {@code height} as the chain fold has it: every replica computes the same
     * from the same height. {@code fallenSilent} winners' rollups belong to their default sequencers for the
     * rest of {@code window}; {@code window} is -1 before the marketplace's genesis.
     */
    public record MarketStatus(long height, long window, long silenceSlots, List<String> fallenSilent,
            Map<String, Long> lastActiveSlot, Map<String, Long> lastSequence) {}

    /**
     * Who may sequence each registered namespace after the decided block at {@code height}: the window of that
     * block's slot, read from the marketplace at its {@code l1Head} and folded over the window's decided blocks
     * (the silence rule included), so it is what the next block in that window is judged by.
     */
    public record Rights(long height, long window, long slot, long l1Head, List<NamespaceRight> namespaces) {}

    /** @param reason {@code sold} (the window's winner), {@code unsold} or {@code fallback} (the winner fell silent) */
    public record NamespaceRight(long namespace, String holder, String reason) {}

    /**
     * {@code GET /v0/bundle/{id}}: where a bundle was decided. {@code record} is the block's reserved namespace (the
     * bundle's record is transaction {@code recordIndex} there); {@code namespaces} has one proof per namespace the
     * bundle touches, in ascending id.
     */
    public record BundleAnswer(String id, long height, int recordIndex, String signer, long window, long sequence,
            long expirySlot, List<BundleEntryJson> entries, Object block, Object record, List<Object> namespaces) {}

    public record BundleEntryJson(long namespace, String txHash) {}
}
