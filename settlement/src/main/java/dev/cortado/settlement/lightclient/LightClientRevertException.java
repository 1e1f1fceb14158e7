package dev.cortado.settlement.lightclient;

/**
 * LightClient.sol refused a call: either the simulation before sending (no gas spent, no
 * {@code txHash}) or the mined transaction (gas spent, {@code txHash} set).
 */
public final class LightClientRevertException extends RuntimeException {
    private final ContractRevert revert;
    private final String txHash;

    public LightClientRevertException(String what, ContractRevert revert, String txHash) {
        super(what + " reverted: " + revert + (txHash == null ? "" : " (tx " + txHash + ")"));
        this.revert = revert;
        this.txHash = txHash;
    }

    public ContractRevert revert() {
        return revert;
    }

    /** The reverted transaction's hash, or null when the revert was caught before sending. */
    public String txHash() {
        return txHash;
    }
}
