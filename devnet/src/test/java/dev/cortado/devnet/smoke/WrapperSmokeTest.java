package dev.cortado.devnet.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.devnet.l1.L1Devnet;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.tx.gas.DefaultGasProvider;

/** The whole toolchain in one pass: solc output, generated wrapper, deployment to Anvil, calls. */
class WrapperSmokeTest {

    @Test
    void deploysAndCallsThroughTheGeneratedWrapper() throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            String poster = l1.deployer().getAddress();
            BatchInbox inbox = BatchInbox.deploy(l1.web3j(), l1.deployer(), new DefaultGasProvider(),
                    poster, BigInteger.ONE, List.of(poster)).send();
            assertTrue(inbox.getContractAddress().startsWith("0x"));
            assertEquals(BigInteger.ONE, inbox.nextHeight().send());
            var receipt = inbox.postCalldataBatch(BigInteger.ONE, BigInteger.TEN, BigInteger.ONE, new byte[] {1, 2, 3}).send();
            assertTrue(receipt.isStatusOK());
            assertEquals(1, BatchInbox.getBatchPostedEvents(receipt).size());
            assertEquals(BigInteger.valueOf(11), inbox.nextHeight().send());
        }
    }
}
