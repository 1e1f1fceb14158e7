package dev.cortado.devnet.l1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import dev.cortado.devnet.testing.Processes;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;

class L1DevnetTest {

    @Test
    void startsAnvilWithPragueDeterministicAccountsAndTimeTravel() throws Exception {
        try (L1Devnet l1 = L1Devnet.start(L1Options.anvil().withGenesisTimestampSec(1_800_000_000L))) {
            assertTrue(l1.rpcUrl().startsWith("http://127.0.0.1:"), l1.rpcUrl());
            assertEquals(31337, l1.web3j().ethChainId().send().getChainId().longValueExact());
            // Addresses derived from the public devnet mnemonic (BIP-44 m/44'/60'/0'/0/i).
            assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", l1.accounts().get(0).getAddress());
            assertEquals("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", l1.accounts().get(1).getAddress());
            assertEquals(10, l1.accounts().size());

            // EIP-2537 (Prague): G1ADD of two points at infinity is the point at infinity.
            String zeros = "0x" + "00".repeat(256);
            String out = l1.web3j().ethCall(
                    Transaction.createEthCallTransaction(l1.deployer().getAddress(),
                            "0x000000000000000000000000000000000000000b", zeros),
                    DefaultBlockParameterName.LATEST).send().getValue();
            assertEquals("0x" + "00".repeat(128), out, "BLS12-381 precompiles must be active");

            long before = l1.latestTimestampSec();
            assertTrue(before >= 1_800_000_000L, "genesis timestamp honoured: " + before);
            long blockBefore = l1.blockNumber();
            l1.travel(3_600);
            assertTrue(l1.latestTimestampSec() >= before + 3_600);
            assertEquals(blockBefore + 1, l1.blockNumber());

            String snap = l1.snapshot();
            l1.mine();
            l1.revert(snap);
            assertEquals(blockBefore + 1, l1.blockNumber());
        }
    }

    @Test
    void closeStopsTheProcessAndItsChildren() {
        L1Devnet l1 = L1Devnet.startAnvil();
        ProcessHandle wrapper = ProcessHandle.of(l1.processId()).orElseThrow();
        List<ProcessHandle> children = wrapper.descendants().toList();
        assertFalse(children.isEmpty(), "the watchdog shell runs Anvil as its child");
        l1.close();
        assertFalse(wrapper.isAlive());
        Processes.awaitDead(children);
    }

    @Test
    void anvilDiesWhenItsJvmIsKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dcortado.root=" + ProjectPaths.root(), L1ChildMain.class.getName())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long anvilPid = -1;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("L1 pid ")) {
                    anvilPid = Long.parseLong(line.substring(7).trim());
                    break;
                }
            }
            assertTrue(anvilPid > 0, "child JVM reported its L1");
            Optional<ProcessHandle> l1 = ProcessHandle.of(anvilPid);
            assertTrue(l1.isPresent() && l1.get().isAlive());
            List<ProcessHandle> tree = l1.get().descendants().toList();
            child.destroyForcibly(); // SIGKILL: no shutdown hooks run
            child.waitFor(10, TimeUnit.SECONDS);
            Processes.awaitDead(List.of(l1.get()));
            Processes.awaitDead(tree);
        }
    }

    @Test
    void missingBesuIsAClearError() {
        if (ProjectPaths.besuOnPath().isPresent()) return; // covered by BesuDevnetTest instead
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> L1Devnet.start(L1Options.anvil().withKind(L1Kind.BESU)));
        assertTrue(e.getMessage().contains("besu"), e.getMessage());
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> L1Kind.parse("geth"));
        assertThrows(IllegalArgumentException.class, () -> L1Options.anvil().withBlockTimeSec(-1));
        assertEquals(L1Kind.BESU, L1Kind.parse(" Besu "));
        assertEquals(1, L1Options.anvil().withKind(L1Kind.BESU).blockTimeSec());
        assertTrue(Path.of(ProjectPaths.anvil().toString()).isAbsolute());
        assertEquals(42, Numeric.toBigInt("0x2a").intValue());
    }
}
