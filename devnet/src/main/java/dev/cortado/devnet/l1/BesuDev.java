package dev.cortado.devnet.l1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Besu in dev mode: a single Clique signer (devnet account 0) over the genesis kept in
 * {@code devnet/besu/genesis.json}, with Prague active from block 0 and the devnet accounts funded.
 */
final class BesuDev {
    /** Private key of devnet account 0 (derived from the public devnet mnemonic); it seals blocks. */
    private static final String SIGNER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static final String SIGNER_ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private BesuDev() {}

    static List<String> command(L1Options options, int port, Path workDir) {
        Path besu = ProjectPaths.besuOnPath().orElseThrow(() -> new IllegalStateException(
                "--l1 besu needs a 'besu' binary on the PATH; none was found (Anvil is the default)"));
        Path genesis = writeGenesis(options, workDir);
        Path key = workDir.resolve("signer.key");
        try {
            Files.writeString(key, SIGNER_KEY);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the Besu signer key: " + e.getMessage(), e);
        }
        return List.of(besu.toString(),
                "--data-path=" + workDir.resolve("data"),
                "--genesis-file=" + genesis,
                "--node-private-key-file=" + key,
                "--rpc-http-enabled",
                "--rpc-http-host=127.0.0.1",
                "--rpc-http-port=" + port,
                "--rpc-http-api=ETH,NET,WEB3,TXPOOL,DEBUG",
                "--host-allowlist=*",
                "--p2p-enabled=false",
                "--min-gas-price=0",
                "--miner-enabled",
                "--miner-coinbase=" + SIGNER_ADDRESS);
    }

    private static Path writeGenesis(L1Options options, Path workDir) {
        Path template = ProjectPaths.root().resolve("devnet/besu/genesis.json");
        try {
            JsonMapper mapper = JsonMapper.builder().build();
            ObjectNode genesis = (ObjectNode) mapper.readTree(template.toFile());
            ObjectNode config = (ObjectNode) genesis.get("config");
            config.put("chainId", options.chainId());
            ((ObjectNode) config.get("clique")).put("blockperiodseconds", options.blockTimeSec());
            options.genesisTimestampSec().ifPresent(t -> genesis.put("timestamp", "0x" + Long.toHexString(t)));
            Path out = workDir.resolve("genesis.json");
            mapper.writeValue(out.toFile(), genesis);
            return out;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot prepare the Besu genesis from " + template + ": " + e.getMessage(), e);
        }
    }
}
