package dev.cortado.devnet.l1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Runs only where a {@code besu} binary is installed; elsewhere it is reported as skipped. */
class BesuDevnetTest {

    @Test
    void besuDevModeServesTheDevnetAccounts() throws Exception {
        assumeTrue(ProjectPaths.besuOnPath().isPresent(),
                "skipped: no 'besu' binary on the PATH (no reachable registry carries Besu; Anvil covers L1 tests)");
        try (L1Devnet l1 = L1Devnet.start(L1Options.anvil().withKind(L1Kind.BESU))) {
            assertEquals(31337, l1.web3j().ethChainId().send().getChainId().longValueExact());
            BigInteger balance = l1.web3j().ethGetBalance(l1.deployer().getAddress(),
                    org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getBalance();
            assertEquals(BigInteger.TEN.pow(22), balance);
        }
    }
}
