package dev.cortado.node.cli;

import dev.cortado.node.cdn.Broker;
import dev.cortado.node.config.BrokerConfig;
import dev.cortado.node.config.ConfigException;
import dev.cortado.node.config.KeyFile;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.TransportSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cortado broker --config broker.toml}: runs a CDN broker until interrupted. */
@Command(name = "broker", mixinStandardHelpOptions = true, description = "Run a CDN broker that relays between nodes.")
public final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, required = true, description = "broker.toml")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    BrokerConfig cfg;
    BlsPeerCrypto crypto;
    try {
      cfg = BrokerConfig.load(config);
      crypto = new BlsPeerCrypto(KeyFile.read(cfg.keyFile()));
    } catch (ConfigException e) {
      e.problems().forEach(spec.commandLine().getErr()::println);
      return 2;
    }
    TransportSettings base = TransportSettings.defaults(TransportSettings.chainIdWord(cfg.chainId()));
    TransportSettings settings = new TransportSettings(base.chainId(), cfg.maxFrameBytes(), base.handshakeTimeoutMs(),
        base.writeHighWaterBytes(), base.maxPendingWriteBytes(), base.keepAliveMs(), base.silentPeerMs());
    CountDownLatch stop = new CountDownLatch(1);
    try (Broker broker = new Broker(settings, crypto, PeerAuthorizer.anyOf(new HashSet<>(cfg.nodes())),
        new SimpleMeterRegistry(), 2)) {
      InetSocketAddress bound = broker.start(cfg.listen().getHostString(), cfg.listen().getPort());
      spec.commandLine().getOut().println("READY broker=" + bound.getPort() + " key=" + crypto.localKey().hex());
      spec.commandLine().getOut().flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "broker-shutdown"));
      stop.await();
    }
    return 0;
  }
}
