package dev.cortado.devnet.confirm;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.run.DevnetNetwork;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.node.l1.L1Settings;
import dev.cortado.node.l1.NodeMarket;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anvil under automine (a block per transaction or per {@link L1Devnet#mine}, so a test decides when L1 moves),
 * the contracts, four registered validators running in-process nodes over a broker, each node following L1 at
 * {@code confirmations} (marketplace and LightClient), and a light-client poster the test drives by hand.
 */
final class FollowingNetwork implements AutoCloseable {
    static final long HOTSHOT_CHAIN_ID = 0xC0A7AD0L;
    static final long SLOT_SECONDS = 12;

    final L1Devnet l1;
    final long genesisSec;
    final DevnetValidators validators;
    final Deployment deployment;
    final L1Settings l1Settings;
    final DevnetNetwork network;
    final List<NodeMarket> markets = new ArrayList<>();
    final LightClientPoster poster;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private FollowingNetwork(L1Devnet l1, long genesisSec, DevnetValidators validators, Deployment deployment,
                             L1Settings l1Settings, DevnetNetwork network, LightClientPoster poster) {
        this.l1 = l1;
        this.genesisSec = genesisSec;
        this.validators = validators;
        this.deployment = deployment;
        this.l1Settings = l1Settings;
        this.network = network;
        this.poster = poster;
    }

    static FollowingNetwork start(Path dir, int confirmations) throws Exception {
        L1Devnet l1 = L1Devnet.startAnvil();
        DevnetNetwork network = null;
        FollowingNetwork f = null;
        try {
            long genesis = l1.latestTimestampSec();
            DevnetValidators validators = DevnetValidators.generate(4, 3);
            Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), l1.deployer(), DeployConfig.devnetDefaults(genesis,
                    SLOT_SECONDS, HOTSHOT_CHAIN_ID, validators.table().commitment(), List.of(l1.deployer().getAddress()),
                    l1.accounts().get(9).getAddress()));
            validators.register(l1.web3j(), l1.chainId(), d.stakeTable().address(), l1.accounts().subList(1, 5));
            L1Settings settings = NodeL1Config.of(d, confirmations, 200);
            network = DevnetNetwork.start(validators, HOTSHOT_CHAIN_ID, dir.resolve("nodes"));
            LightClientPoster poster = LightClientPoster.connect(LightClientPoster.Config.of(l1.rpcUrl(),
                    d.lightClient().address(), network.apiUrls(), new StakeTableTrust.Known(validators.table())), l1.deployer());
            f = new FollowingNetwork(l1, genesis, validators, d, settings, network, poster);
            for (int i = 0; i < network.nodes().size(); i++) {
                NodeMarket m = NodeMarket.attach(network.nodes().get(i).apiServer(), settings, dir.resolve("nodes").resolve("node" + i));
                f.markets.add(m);
                network.nodes().get(i).followL1(m.state(), settings.maxL1LeadBlocks(), settings.chainId(),
                        Address.fromHex(settings.marketplace()));
            }
            return f;
        } catch (Exception | Error e) {
            if (f != null) f.close();
            else {
                if (network != null) network.close();
                l1.close();
            }
            throw e;
        }
    }

    /** The lowest block every node's follower has reached. */
    long followedByAll() {
        return markets.stream().mapToLong(m -> m.follower().followedBlock()).min().orElse(-1);
    }

    List<URI> apis() {
        return network.apiUrls();
    }

    /** {@code GET path} on node {@code i}: status and parsed body. */
    Answer get(int i, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(apis().get(i).resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isEmpty() ? null : json.readTree(r.body()), r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST /v0/submit} of one loose transaction to node {@code i}. */
    Answer submit(int i, long namespace, String payloadHex) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(apis().get(i).resolve("/v0/submit"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"namespace\": " + namespace + ", \"payload\": \"" + payloadHex + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), json.readTree(r.body()), r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Answer(int status, JsonNode body, String text) {
        String level() {
            return status == 200 ? body.get("confirmation").get("level").stringValue() : "http " + status;
        }
    }

    @Override
    public void close() {
        markets.forEach(NodeMarket::close);
        poster.close();
        network.close();
        l1.close();
    }
}
