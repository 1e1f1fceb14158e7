package dev.cortado.devnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.sequencer.PreconfJson;
import dev.cortado.protocol.market.PreConfirmation;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.devnet.testing.CliRun;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** One-line input errors of {@code cortado sequencer} and {@code cortado verify-preconf}, checked before any L1 call. */
class SequencerCliInputTest {
    private static final String MARKET = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    private static Path deployment(Path dir) {
        var c = new Deployment.DeployedContract(MARKET, 1);
        Deployment d = new Deployment(31337, "http://127.0.0.1:1", c, c, c, c, new DeployConfig.SlotClockConfig(1_800_000_000L, 2),
                new Deployment.Schedule(8, 3, 2, 2, 3), 7);
        Path file = dir.resolve("deployment.json");
        d.write(file);
        return file;
    }


    @Test
    void aBadSequencerKeyIsOneLine(@TempDir Path dir) {
        CliRun r = CliRun.of("sequencer", "--deployment", deployment(dir).toString(), "--node", "http://127.0.0.1:1", "--key", "zz");
        assertEquals(2, r.code());
        assertEquals("cortado sequencer: --key must hold a private key of 32 bytes as 64 hex digits (0x optional)",
                r.err().strip());
    }

    @Test
    void verifyPreconfRefusesBadFilesAndOtherNetworksPromises(@TempDir Path dir) throws Exception {
        Path d = deployment(dir);
        CliRun missing = CliRun.of("verify-preconf", "--preconf", dir.resolve("none.json").toString(), "--node", "http://127.0.0.1:1",
                "--deployment", d.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("cortado verify-preconf: "), missing.err());

        PreConfirmation p = new PreConfirmation(1, Address.fromHex(MARKET), Bytes32.ZERO, 10, 0, 0, 0, 7);
        Path file = dir.resolve("p.json");
        Files.writeString(file, JsonMapper.builder().build().writeValueAsString(PreconfJson.of(
                p.sign(Secp256k1.keyPair(BigInteger.TEN)))));
        CliRun other = CliRun.of("verify-preconf", "--preconf", file.toString(), "--node", "http://127.0.0.1:1", "--deployment", d.toString());
        assertEquals(3, other.code());
        assertEquals("broken: the pre-confirmation is for chain 1 and marketplace " + MARKET + ", not this deployment's",
                other.out().strip());
    }
}
