package dev.cortado.node.consensus;

/**
 * The safety and liveness rules as switches, so the test suite can break one rule at a time and check that
 * the simulator catches it (the mutation check). Package-private on purpose: there is no way to run a node
 * with anything but {@link #CORRECT}.
 *
 * @param consecutiveViewsToDecide a two-chain decides only when the child is one view after its parent
 * @param lockCheck a replica votes only when the justify QC extends its lock, is newer than its lock, or
 *     is at least the high QC proven by the proposal's TC
 * @param strictTwoThirds certificates need more than 2/3 of stake (off: exactly 2/3 suffices)
 * @param tcProvesHighQc a TC is valid only if its high QC is at least every signer's signed high-QC view
 * @param dataAvailabilityGate a replica votes only once the proposal's data is available
 * @param handoverCheck a proposal's next-stake-table commitment must be the one {@link Epochs} requires
 * @param ownEpochTable a certificate is measured by the table of its own epoch (off: always the genesis table)
 */
record Rules(boolean consecutiveViewsToDecide, boolean lockCheck, boolean strictTwoThirds, boolean tcProvesHighQc,
        boolean dataAvailabilityGate, boolean handoverCheck, boolean ownEpochTable) {
    static final Rules CORRECT = new Rules(true, true, true, true, true, true, true);

    /** The rules with the handover and the certificates' own tables checked. */
    Rules(boolean consecutiveViewsToDecide, boolean lockCheck, boolean strictTwoThirds, boolean tcProvesHighQc,
            boolean dataAvailabilityGate) {
        this(consecutiveViewsToDecide, lockCheck, strictTwoThirds, tcProvesHighQc, dataAvailabilityGate, true, true);
    }

    boolean isQuorum(StakeWeights stakes, long stakeGwei) {
        return strictTwoThirds ? stakes.isQuorum(stakeGwei)
                : stakeGwei >= 0 && 3 * (double) stakeGwei >= 2 * (double) stakes.totalStakeGwei();
    }
}
