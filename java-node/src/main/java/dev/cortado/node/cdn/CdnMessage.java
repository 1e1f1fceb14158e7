package dev.cortado.node.cdn;

import dev.cortado.node.net.PeerKey;
import java.util.Set;

/** Messages between nodes and brokers, carried in transport DATA payloads. */
public sealed interface CdnMessage {
    /** Node to broker: the topics this node wants broadcasts for. */
    record Subscribe(Set<Topic> topics) implements CdnMessage {
        public Subscribe {
            topics = Set.copyOf(topics);
        }
    }

    /** Node to broker: relay {@code payload} to every other subscriber of {@code topic}. */
    record Broadcast(Topic topic, byte[] payload) implements CdnMessage {}

    /** Node to broker: relay {@code payload} to one node. */
    record Direct(PeerKey recipient, byte[] payload) implements CdnMessage {}

    /** Broker to node: a relayed payload and the authenticated node it came from. */
    record Deliver(PeerKey sender, byte[] payload) implements CdnMessage {}
}
