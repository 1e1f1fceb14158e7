package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.l1.L1Options;
import dev.cortado.settlement.l1.Web3jL1Client;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Head;
import org.junit.jupiter.api.Test;

class Web3jL1ClientTest {

    @Test
    void readsHeadsFromARealL1() {
        try (L1Devnet l1 = L1Devnet.start(L1Options.anvil().withGenesisTimestampSec(1_900_000_000L));
                L1Client client = Web3jL1Client.connect(l1.rpcUrl(), l1.chainId())) {
            assertEquals(31337, client.chainId());
            L1Head genesis = client.latestHead();
            assertEquals(0, genesis.number());
            l1.travel(24);
            L1Head next = client.latestHead();
            assertEquals(1, next.number());
            assertTrue(next.timestampSec() >= genesis.timestampSec() + 24);
            assertTrue(client.finalizedHead().number() <= next.number());
        }
    }

    @Test
    void refusesTheWrongChain() {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Web3jL1Client.connect(l1.rpcUrl(), 1));
            assertTrue(e.getMessage().contains("chain id 31337, expected 1"), e.getMessage());
        }
    }

    @Test
    void anUnreachableL1IsAClearError() {
        L1Client.L1Exception e = assertThrows(L1Client.L1Exception.class,
                () -> Web3jL1Client.connect("http://127.0.0.1:1", 31337));
        assertTrue(e.getMessage().startsWith("cannot reach the L1 at http://127.0.0.1:1"), e.getMessage());
    }
}
