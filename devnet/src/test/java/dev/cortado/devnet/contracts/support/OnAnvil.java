package dev.cortado.devnet.contracts.support;

import dev.cortado.devnet.l1.L1Devnet;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Credentials;

/**
 * One Anvil per test class, with the accounts the marketplace and auction tests give roles to:
 * the deployer and registrar ({@code owner}, account 0), bidders {@code x}, {@code y}, {@code z}
 * (accounts 1-3) and the treasury (account 9). The fields are per instance (one instance per class),
 * so classes never share a chain even if they run in parallel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OnAnvil {
    protected L1Devnet l1;
    protected Credentials owner;
    protected Credentials x;
    protected Credentials y;
    protected Credentials z;
    protected Credentials treasury;

    @BeforeAll
    final void startAnvil() {
        l1 = L1Devnet.startAnvil();
        owner = l1.accounts().get(0);
        x = l1.accounts().get(1);
        y = l1.accounts().get(2);
        z = l1.accounts().get(3);
        treasury = l1.accounts().get(9);
    }

    @AfterAll
    final void stopAnvil() {
        if (l1 != null) l1.close();
    }

    protected static BigInteger n(long v) {
        return BigInteger.valueOf(v);
    }
}
