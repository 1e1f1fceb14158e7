package dev.cortado.node.cli;

import dev.cortado.node.config.ConfigException;
import dev.cortado.node.config.KeyFile;
import dev.cortado.node.config.NodeConfig;
import dev.cortado.node.l1.L1FollowerService;
import dev.cortado.node.l1.NodeMarket;
import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.node.runtime.NodeEpochs;
import dev.cortado.node.runtime.NodeSettings;
import dev.cortado.node.storage.StorageException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado node --config node.toml}: runs one node until the process is stopped. Prints one
 * line {@code READY p2p=<addr> api=<addr> height=<h>} once it listens, for scripts and tests.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run a Cortado node.",
        footer = {"", "./cortado node starts the JVM with the flags in CORTADO_NODE_OPTS (default -Xmx320m) and",
                "MALLOC_ARENA_MAX=2 unless set; [storage] in node.toml bounds RocksDB's cache and memtables."})
public final class NodeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, description = "node.toml")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        NodeSettings settings;
        NodeConfig cfg;
        try {
            cfg = NodeConfig.load(config);
            settings = NodeSettings.from(cfg, KeyFile.read(cfg.keyFile()));
        } catch (ConfigException e) {
            e.problems().forEach(spec.commandLine().getErr()::println);
            spec.commandLine().getErr().flush();
            return 2;
        }
        // With epochs the node's stake tables read the L1 follower, so it is open before the node.
        L1FollowerService follower = null;
        CortadoNode node;
        try {
            if (cfg.epochs().isPresent()) {
                follower = L1FollowerService.open(cfg.l1().orElseThrow(), cfg.dataDir()).start();
                node = new CortadoNode(settings, new NodeEpochs.FromL1(cfg.epochs().get().schedule(), follower.follower()));
            } else {
                node = new CortadoNode(settings);
            }
        } catch (StorageException e) {
            if (follower != null) {
                follower.close();
            }
            spec.commandLine().getErr().println("data_dir: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        } catch (IllegalArgumentException e) {
            if (follower != null) {
                follower.close();
            }
            spec.commandLine().getErr().println("peers: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        } catch (RuntimeException e) {
            if (follower != null) {
                follower.close();
            }
            spec.commandLine().getErr().println("l1: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "node-shutdown"));
        node.start();
        if (cfg.l1().isPresent()) {
            try {
                NodeMarket market = follower != null ? NodeMarket.attach(node.apiServer(), follower)
                        : NodeMarket.attach(node.apiServer(), cfg.l1().get(), cfg.dataDir());
                node.followL1(market.state(), cfg.l1().get().maxL1LeadBlocks(), cfg.l1().get().chainId(),
                        dev.cortado.protocol.types.Address.fromHex(cfg.l1().get().marketplace()), cfg.l1().get().silenceSlots());
                node.takeBundles(market.admission(), market.bundles());
                Runtime.getRuntime().addShutdownHook(new Thread(market::close, "l1-follower-shutdown"));
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("l1: " + e.getMessage());
                spec.commandLine().getErr().flush();
                node.close();
                if (follower != null) {
                    follower.close();
                }
                return 2;
            }
        }
        out.println("READY p2p=" + node.p2pAddress().getPort() + " api=" + node.apiAddress().getPort() + " height=" + node.height());
        out.flush();
        stopped.await();
        return 0;
    }
}
