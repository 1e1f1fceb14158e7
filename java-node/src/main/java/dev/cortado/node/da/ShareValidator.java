package dev.cortado.node.da;

import dev.cortado.node.da.vid.Vid;
import dev.cortado.protocol.block.BlockHeader;
import java.util.Optional;

/**
 * The check a replica makes on a share before it tells the consensus core the share is present, and
 * that a retriever makes on every share a peer serves: the commitment must hash to the header's
 * {@code vidRoot} and cover {@code payloadBytes}, and the share must be the expected index and pass
 * its Merkle proof.
 */
public final class ShareValidator {
    private final Vid vid;

    public ShareValidator(int shareCount) {
        this.vid = new Vid(shareCount);
    }

    public Vid vid() {
        return vid;
    }

    /** Why {@code stored} is not share {@code expectedIndex} of {@code header}'s dispersal; empty if it is. */
    public Optional<String> problem(BlockHeader header, int expectedIndex, StoredShare stored) {
        if (!stored.commitment().vidRoot().equals(header.vidRoot())) {
            return Optional.of("share commitment hashes to " + stored.commitment().vidRoot() + ", header "
                    + header.height().value() + " has vidRoot " + header.vidRoot());
        }
        if (stored.commitment().payloadBytes() != header.payloadBytes()) {
            return Optional.of("share commitment covers " + stored.commitment().payloadBytes()
                    + " bytes, header says " + header.payloadBytes());
        }
        if (stored.share().index() != expectedIndex) {
            return Optional.of("expected share " + expectedIndex + ", got share " + stored.share().index());
        }
        return vid.shareProblem(stored.commitment(), stored.share());
    }

    public boolean isValid(BlockHeader header, int expectedIndex, StoredShare stored) {
        return problem(header, expectedIndex, stored).isEmpty();
    }
}
