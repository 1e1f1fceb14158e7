package dev.cortado.settlement.lightclient;

import dev.cortado.protocol.stake.StakeTable;
import java.util.Objects;

/**
 * What the poster trusts when it checks a node's answer before spending gas.
 *
 * <p>{@link Known}: the whole stake table, checked with the light-client library's verifier (which
 * also checks the state's own header). {@link OnL1}: only the commitment LightClient.sol stores; the
 * poster then runs in Java every check the contract runs (commitment preimage, non-signer proofs, the
 * 2/3 rule, one pairing), so an answer it accepts can only fail on L1 for staleness or permission.
 */
public sealed interface StakeTableTrust {

    /** The poster knows the table the contract committed to. */
    record Known(StakeTable table) implements StakeTableTrust {
        public Known {
            Objects.requireNonNull(table, "table");
        }
    }

    /** The poster trusts whatever table the contract currently commits to. */
    record OnL1() implements StakeTableTrust {
    }
}
