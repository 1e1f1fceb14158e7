package dev.cortado.node.da;

import dev.cortado.node.da.vid.Vid;
import dev.cortado.protocol.block.BlockHeader;
import java.util.Optional;

/**
 * The check a replica makes on a share before it tells the consensus core the share is present, and that a
 * retriever makes on every share a peer serves. A block is dispersed over the share holders of its epoch (issue 14:
 * the peers with stake in the epoch's table, in universe order), so the caller says how many shares the block's
 * epoch has and at which position the share must sit (its holder's rank there, not the holder's peer index): the
 * commitment must be for that many shares, hash to the header's {@code vidRoot} and cover {@code payloadBytes}, and
 * the share must sit at that position and pass its Merkle proof. Cheap checks first; thread-safe.
 */
public final class ShareValidator {
    private final VidCache vids;

    public ShareValidator() {
        this(new VidCache());
    }

    public ShareValidator(VidCache vids) {
        this.vids = vids;
    }

    public Vid vid(int shareCount) {
        return vids.forShares(shareCount);
    }

    /**
     * Why {@code stored} is not share {@code position} of {@code header}'s dispersal over {@code shareCount} shares;
     * empty if it is.
     */
    public Optional<String> problem(BlockHeader header, int shareCount, int position, StoredShare stored) {
        if (stored.commitment().shareCount() != shareCount) {
            return Optional.of("share is encoded for " + stored.commitment().shareCount() + " shares, the block's epoch has "
                    + shareCount);
        }
        if (stored.share().index() != position) {
            return Optional.of("share is at position " + stored.share().index() + ", its holder holds position " + position
                    + " of " + shareCount);
        }
        if (!stored.commitment().vidRoot().equals(header.vidRoot())) {
            return Optional.of("share commitment hashes to " + stored.commitment().vidRoot() + ", header "
                    + header.height().value() + " has vidRoot " + header.vidRoot());
        }
        if (stored.commitment().payloadBytes() != header.payloadBytes()) {
            return Optional.of("share commitment covers " + stored.commitment().payloadBytes()
                    + " bytes, header says " + header.payloadBytes());
        }
        return vid(shareCount).shareProblem(stored.commitment(), stored.share());
    }

    public boolean isValid(BlockHeader header, int shareCount, int position, StoredShare stored) {
        return problem(header, shareCount, position, stored).isEmpty();
    }
}
