package dev.cortado.settlement.auction.solver;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A revealed bid as the solver sees it.
 *
 * @param id the bid's id within its window (0..255 on L1)
 * @param bundle the rollups bid for
 * @param amountWei the price offered for the whole bundle
 */
public record RevealedBid(int id, Bundle bundle, BigInteger amountWei) {
    public RevealedBid {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(amountWei, "amountWei");
        if (id < 0) throw new IllegalArgumentException("bid id must be >= 0, got " + id);
        if (amountWei.signum() < 0) throw new IllegalArgumentException("amountWei must be >= 0, got " + amountWei);
    }
}
