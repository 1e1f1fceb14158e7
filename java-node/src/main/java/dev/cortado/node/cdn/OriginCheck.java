package dev.cortado.node.cdn;

import dev.cortado.node.net.InboundSink;
import dev.cortado.node.net.PeerCrypto;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.WireFormatException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks what a broker delivers before the node sees it, cheapest check first: the envelope's form
 * and lengths, then that the stamped sender is a staked node other than this one (a set lookup),
 * for a broadcast that it is on a subscribed topic, and that the (broker, sender) pair is not in
 * quarantine; only then one pairing for the origin signature.
 *
 * <p>Who is to blame for a failure? A stamped sender that is not another staked node can only be the
 * broker's doing: the broker is penalized at once (session closed, redialled after the longest
 * back-off, the node sends directly for a suspicion period). A signature that fails could be a
 * broker forging a sender or a Byzantine node signing junk through an honest broker, which one
 * message cannot tell apart. So the pair (broker, stamped sender) is quarantined for
 * {@link #QUARANTINE_MS}: its deliveries are dropped unverified, which bounds the pairings a liar
 * costs to one per pair and period. Only when more senders are quarantined through one broker than
 * there can be Byzantine nodes ({@code (n-1)/3}) is the broker itself blamed and penalized. A single
 * Byzantine validator therefore cannot push honest nodes off an honest broker, and a broker that
 * silences a few senders this way is no worse than those senders crashing, which consensus
 * tolerates; if it silences more, views stall and {@link BrokerWatch} takes the node off it.
 * Every failure counts as {@code cortado_misbehaviour_total{kind="forged_sender"}}. PLAIN payloads are
 * passed on as sent by the broker itself, so they can never speak for a node.
 */
final class OriginCheck implements CdnClient.Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(OriginCheck.class);
    /** How long a (broker, sender) pair whose signature failed is dropped unverified. */
    static final long QUARANTINE_MS = 10_000;
    private static final String DESCRIPTION = "messages peers sent that an honest peer never sends";

    private final byte[] chainId;
    private final PeerCrypto crypto;
    private final PairMacs macs;
    private final PeerKey self;
    private final Set<PeerKey> staked;
    private final Set<Topic> subscribed;
    private final InboundSink sink;
    private final BiConsumer<BrokerEndpoint, String> onForgery;
    private final Runnable onProbe;
    private final Counter forged;
    private final Counter badEnvelope;
    private final Counter dropped;
    private final LongSupplier nowMs;
    private final int maxFaulty;
    // Keyed by a configured broker and a staked sender (checked first), so bounded by brokers x stake table.
    private final Map<Quarantine, Long> quarantined = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong probeNonce = new AtomicLong();

    OriginCheck(byte[] chainId, PeerCrypto crypto, PairMacs macs, Set<PeerKey> staked, Set<Topic> subscribed, InboundSink sink,
            MeterRegistry registry, LongSupplier nowMs, BiConsumer<BrokerEndpoint, String> onForgery, Runnable onProbe) {
        this.chainId = chainId.clone();
        this.crypto = crypto;
        this.macs = macs;
        this.self = crypto.localKey();
        this.staked = Set.copyOf(staked);
        this.subscribed = Set.copyOf(subscribed);
        this.sink = sink;
        this.onForgery = onForgery;
        this.onProbe = onProbe;
        this.forged = misbehaviour(registry, "forged_sender");
        this.badEnvelope = misbehaviour(registry, "bad_envelope");
        this.dropped = registry.counter("cortado.cdn.quarantined");
        this.nowMs = nowMs;
        this.maxFaulty = (this.staked.size() - 1) / 3;
    }

    private record Quarantine(BrokerEndpoint broker, PeerKey sender) {}

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
            case OriginEnvelope.SignedDirect d -> attested(broker, sender, d.payload(), () -> crypto.verify(sender,
                    OriginEnvelope.digest(chainId, sender, OriginEnvelope.directRoute(self), d.payload()), d.signature()));
            case OriginEnvelope.SignedBroadcast b -> {
                if (!subscribed.contains(b.topic())) {
                    badEnvelope.increment();
                    yield true;
                }
                yield attested(broker, sender, b.payload(), () -> crypto.verify(sender,
                        OriginEnvelope.digest(chainId, sender, OriginEnvelope.topicRoute(b.topic()), b.payload()), b.signature()));
            }
            case OriginEnvelope.MacDirect d -> attested(broker, sender, d.payload(), () -> macs.check(sender,
                    OriginEnvelope.digest(chainId, sender, OriginEnvelope.directRoute(self), d.payload()), d.tag()));
            case OriginEnvelope.MacBroadcast b -> {
                int mine = macs.slotOf(self);
                if (!subscribed.contains(b.topic()) || b.tags().size() != macs.order().size() || mine < 0) {
                    // Tags follow the stake table this node holds; another count is not a message for it.
                    badEnvelope.increment();
                    yield true;
                }
                yield attested(broker, sender, b.payload(), () -> macs.check(sender,
                        OriginEnvelope.digest(chainId, sender, OriginEnvelope.topicRoute(b.topic()), b.payload()), b.tags().get(mine)));
            }
        };
    }

    /** Cheap checks, then {@code proof} (one pairing for a signature, one hash for a tag), then delivery. */
    private boolean attested(BrokerEndpoint broker, PeerKey sender, byte[] payload, java.util.function.BooleanSupplier proof) {
        if (sender.equals(self) || !staked.contains(sender)) {
            // An honest broker stamps the staked key its session proved: this can only be the broker.
            onForgery.accept(broker, "stamped sender " + sender + " is not another staked node");
            forged.increment();
            return true;
        }
        Quarantine key = new Quarantine(broker, sender);
        Long until = quarantined.get(key);
        long now = nowMs.getAsLong();
        if (until != null) {
            if (now < until) {
                dropped.increment();
                return true;
            }
            quarantined.remove(key, until);
        }
        if (!proof.getAsBoolean()) {
            quarantined.put(key, now + QUARANTINE_MS);
            long suspects = quarantined.entrySet().stream()
                    .filter(e -> e.getKey().broker().equals(broker) && e.getValue() > now).count();
            if (suspects > maxFaulty) {
                onForgery.accept(broker, suspects + " senders' origin signatures fail through it, more than the "
                        + maxFaulty + " nodes that may be Byzantine");
            } else {
                LOG.info("origin signature of {} via broker {} does not verify; its deliveries through that broker are"
                        + " dropped for {} ms", sender, broker.address(), QUARANTINE_MS);
            }
            // Counted after the verdict is carried out, so whoever reads the counter sees its effect.
            forged.increment();
            return true;
        }
        return sink.offer(sender, payload);
    }

    @Override
    public void whenSpace(Runnable wake) {
        sink.whenSpace(wake);
    }
}
