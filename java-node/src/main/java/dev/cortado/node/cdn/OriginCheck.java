package dev.cortado.node.cdn;

import dev.cortado.node.net.InboundSink;
import dev.cortado.node.net.PeerCrypto;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.WireFormatException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks what a broker delivers before the node sees it, cheapest check first: the envelope's form
 * and lengths, then that the stamped sender is a staked node other than this one (a set lookup)
 * and, for a broadcast, that it is on a topic this node subscribed to; only then one pairing for the
 * origin signature. A delivery that fails the sender or signature check is counted as
 * {@code cortado_misbehaviour_total{kind="forged_sender"}}, dropped, and the broker is penalized
 * (its session closed, redialled after the longest back-off, and the node sends directly for a
 * suspicion period), so a lying broker costs at most one pairing per connection. The node cannot
 * tell a broker that forged a sender from a Byzantine node that signed junk, and treats both alike:
 * either way the direct mesh carries the network, so the worst a Byzantine node achieves is that
 * honest nodes avoid the CDN. PLAIN payloads are passed on as sent by the broker itself, so they can
 * never speak for a node.
 */
final class OriginCheck implements CdnClient.Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(OriginCheck.class);
    private static final String DESCRIPTION = "messages peers sent that an honest peer never sends";

    private final byte[] chainId;
    private final PeerCrypto crypto;
    private final PeerKey self;
    private final Set<PeerKey> staked;
    private final Set<Topic> subscribed;
    private final InboundSink sink;
    private final BiConsumer<BrokerEndpoint, String> onForgery;
    private final Runnable onProbe;
    private final Counter forged;
    private final Counter badEnvelope;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong probeNonce = new AtomicLong();

    OriginCheck(byte[] chainId, PeerCrypto crypto, Set<PeerKey> staked, Set<Topic> subscribed, InboundSink sink,
            MeterRegistry registry, BiConsumer<BrokerEndpoint, String> onForgery, Runnable onProbe) {
        this.chainId = chainId.clone();
        this.crypto = crypto;
        this.self = crypto.localKey();
        this.staked = Set.copyOf(staked);
        this.subscribed = Set.copyOf(subscribed);
        this.sink = sink;
        this.onForgery = onForgery;
        this.onProbe = onProbe;
        this.forged = misbehaviour(registry, "forged_sender");
        this.badEnvelope = misbehaviour(registry, "bad_envelope");
    }

    private static Counter misbehaviour(MeterRegistry registry, String kind) {
        return Counter.builder("cortado_misbehaviour_total").tag("kind", kind).description(DESCRIPTION).register(registry);
    }

    /** A fresh nonce for the next probe; only a probe carrying the latest one counts as relayed. */
    long newProbe() {
        long n = random.nextLong();
        probeNonce.set(n);
        return n;
    }

    long forged() {
        return (long) forged.count();
    }

    @Override
    public boolean onDeliver(BrokerEndpoint broker, PeerKey sender, byte[] bytes) {
        OriginEnvelope envelope;
        try {
            envelope = OriginEnvelope.decode(bytes);
        } catch (WireFormatException e) {
            // Nodes write envelopes and brokers relay them opaquely: a malformed one costs nothing to drop.
            badEnvelope.increment();
            LOG.debug("dropped a delivery from {} via broker {}: {}", sender, broker.address(), e.getMessage());
            return true;
        }
        return switch (envelope) {
            case OriginEnvelope.Plain p -> sink.offer(broker.key(), p.payload());
            case OriginEnvelope.Probe p -> {
                if (sender.equals(self) && p.nonce() == probeNonce.get()) {
                    onProbe.run();
                }
                yield true;
            }
            case OriginEnvelope.SignedDirect d ->
                    signed(broker, sender, OriginEnvelope.directRoute(self), d.signature(), d.payload());
            case OriginEnvelope.SignedBroadcast b -> {
                if (!subscribed.contains(b.topic())) {
                    badEnvelope.increment();
                    yield true;
                }
                yield signed(broker, sender, OriginEnvelope.topicRoute(b.topic()), b.signature(), b.payload());
            }
        };
    }

    private boolean signed(BrokerEndpoint broker, PeerKey sender, byte[] route, byte[] signature, byte[] payload) {
        if (sender.equals(self) || !staked.contains(sender)) {
            return forgery(broker, "stamped sender " + sender + " is not another staked node");
        }
        if (!crypto.verify(sender, OriginEnvelope.digest(chainId, sender, route, payload), signature)) {
            return forgery(broker, "origin signature of " + sender + " does not verify");
        }
        return sink.offer(sender, payload);
    }

    private boolean forgery(BrokerEndpoint broker, String reason) {
        forged.increment();
        onForgery.accept(broker, reason);
        return true;
    }

    @Override
    public void whenSpace(Runnable wake) {
        sink.whenSpace(wake);
    }
}
