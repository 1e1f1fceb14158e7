package dev.cortado.node.runtime;

import dev.cortado.node.cdn.BrokerEndpoint;
import dev.cortado.node.cdn.NodeNetwork;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.InboundSink;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.Transport;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.node.net.WireFormatException;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Builds a node's network (direct mesh and CDN) from its settings. */
final class NodeNetworks {
    private NodeNetworks() {
    }

    /**
     * Gossiped transaction batches are decoded on the I/O threads and handed to {@code txBatches} (the node's
     * {@link GossipIntake}, which hashes them on its own thread), so they neither queue behind consensus nor hold up
     * the I/O threads' reads and pings; everything else goes to {@code queue}.
     */
    static NodeNetwork create(NodeSettings settings, List<PeerKey> keys, Set<PeerKey> committee, MeterRegistry registry,
            InboundSink queue, Consumer<NodeMessage.TxBatch> txBatches, Runnable malformedBatch) {
        TransportSettings base = TransportSettings.defaults(TransportSettings.chainIdWord(settings.chainId()));
        TransportSettings ts = new TransportSettings(base.chainId(), settings.maxFrameBytes(), base.handshakeTimeoutMs(),
                base.writeHighWaterBytes(), base.maxPendingWriteBytes(), base.keepAliveMs(), base.silentPeerMs());
        Transport transport = new Transport(ts, new BlsPeerCrypto(settings.keys()), registry, 2);
        List<BrokerEndpoint> brokers = settings.brokers().stream()
                .map(b -> new BrokerEndpoint(b.publicKey(), resolve(b.address()))).toList();
        NodeCodec codec = new NodeCodec(NodeCodec.Limits.forBlockBytes(settings.maxBlockBytes()));
        InboundSink sink = new InboundSink() {
            @Override
            public boolean offer(PeerKey from, byte[] payload) {
                if (payload.length > 0 && payload[0] == NodeCodec.TX_BATCH) {
                    try {
                        if (codec.decode(payload) instanceof NodeMessage.TxBatch b) {
                            txBatches.accept(b);
                        }
                    } catch (WireFormatException malformed) {
                        malformedBatch.run();
                    }
                    return true;
                }
                return queue.offer(from, payload);
            }

            @Override
            public void whenSpace(Runnable wake) {
                queue.whenSpace(wake);
            }
        };
        return new NodeNetwork(transport, Set.copyOf(keys), committee, brokers, settings.useBrokers(), sink, registry);
    }

    static InetSocketAddress resolve(InetSocketAddress a) {
        return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
    }
}
