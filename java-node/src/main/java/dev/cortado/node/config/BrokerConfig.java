package dev.cortado.node.config;

import dev.cortado.node.net.PeerKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A standalone broker's configuration ({@code broker.toml}): {@code [broker]} with {@code
 * key_file}, {@code listen}, {@code chain_id}, optional {@code max_frame_bytes}, and the nodes
 * allowed to connect as {@code [[peers]]} entries with {@code public_key} (other peer fields of a
 * node.toml are accepted and ignored, so one stake-table list can be shared).
 */
public record BrokerConfig(Path keyFile, InetSocketAddress listen, long chainId, int maxFrameBytes, List<PeerKey> nodes) {

    public static BrokerConfig load(Path file) throws ConfigException {
        try {
            return parse(Files.readString(file), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
    }

    public static BrokerConfig parse(String text, Path baseDir) throws ConfigException {
        JsonNode toml = ConfigFields.parse(text);
        ConfigFields r = new ConfigFields();
        r.unknownKeys(toml, "", List.of("broker", "peers"));
        JsonNode broker = r.table(toml, "broker").orElse(ConfigFields.empty());
        r.unknownKeys(broker, "broker.", List.of("key_file", "listen", "chain_id", "max_frame_bytes"));
        String keyFile = r.string(broker, "broker.", "key_file", null);
        InetSocketAddress listen = r.address(broker, "broker.", "listen", null);
        long chainId = r.integer(broker, "broker.", "chain_id", null, 1, Long.MAX_VALUE);
        int maxFrame = (int) r.integer(broker, "broker.", "max_frame_bytes", 16L << 20, 4096, 256L << 20);
        List<PeerKey> nodes = new ArrayList<>();
        List<JsonNode> peers = r.tables(toml, "peers");
        if (peers.isEmpty()) {
            r.problem("peers", "at least one [[peers]] entry is required (the nodes allowed to connect)");
        }
        for (int i = 0; i < peers.size(); i++) {
            String prefix = "peers[" + i + "].";
            r.unknownKeys(peers.get(i), prefix, NodeConfig.PEER);
            PeerKey key = NodeConfig.key(r, peers.get(i), prefix);
            if (key != null) {
                nodes.add(key);
            }
        }
        if (!r.problems().isEmpty()) {
            throw new ConfigException(r.problems());
        }
        return new BrokerConfig(baseDir.resolve(keyFile), listen, chainId, maxFrame, List.copyOf(nodes));
    }
}
