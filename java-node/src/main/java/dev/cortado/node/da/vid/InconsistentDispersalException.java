package dev.cortado.node.da.vid;

/** Recovery found that the disperser's shares are not one codeword; carries the evidence. */
public final class InconsistentDispersalException extends Exception {
    private final transient InconsistentDispersal evidence;

    public InconsistentDispersalException(InconsistentDispersal evidence) {
        super("inconsistent dispersal for vidRoot " + evidence.vidRoot() + ": re-encoding from shares "
                + evidence.decodedFrom() + " gives share root " + evidence.reencodedShareRoot()
                + " instead of " + evidence.committedShareRoot() + "; mismatching shares "
                + evidence.mismatchingShareIndexes() + ", mismatching subtrees " + evidence.mismatchingSubtrees());
        this.evidence = evidence;
    }

    public InconsistentDispersal evidence() {
        return evidence;
    }
}
