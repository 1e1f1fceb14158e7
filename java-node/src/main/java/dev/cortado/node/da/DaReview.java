package dev.cortado.node.da;

import dev.cortado.protocol.block.BlockPayload;

/** What a DA committee member concluded about a proposed payload. */
public sealed interface DaReview {
    /** Both commitments match: the member stores the payload and sends the vote. */
    record Approved(DaVote vote, BlockPayload payload) implements DaReview {
    }

    /** The payload does not match the header (or is malformed); no vote. */
    record Rejected(String reason) implements DaReview {
    }
}
