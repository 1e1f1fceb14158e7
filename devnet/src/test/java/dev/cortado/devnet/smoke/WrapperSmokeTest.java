package dev.cortado.devnet.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.Ping;
import dev.cortado.devnet.l1.L1Devnet;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.tx.gas.DefaultGasProvider;

/** The whole toolchain in one pass: solc output, generated wrapper, deployment to Anvil, a call. */
class WrapperSmokeTest {

    @Test
    void deploysAndCallsThroughTheGeneratedWrapper() throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            Ping ping = Ping.deploy(l1.web3j(), l1.deployer(), new DefaultGasProvider()).send();
            assertTrue(ping.getContractAddress().startsWith("0x"));
            var receipt = ping.ping().send();
            assertTrue(receipt.isStatusOK());
            assertEquals(1, Ping.getPingedEvents(receipt).size());
            assertEquals(BigInteger.ONE, ping.pings().send());
        }
    }
}
