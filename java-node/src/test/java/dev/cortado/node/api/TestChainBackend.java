package dev.cortado.node.api;

import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.mempool.SubmitResult;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * A backend of a real mempool and an in-memory decided chain that a test extends. Namespace reads
 * first run {@link #onNamespaceRead}, which a test can make block to stand in for a slow payload
 * retrieval from the DA committee.
 */
final class TestChainBackend implements ApiBackend {
    record TestBlock(long height, String commitment) {}

    final Mempool mempool;
    final Map<Long, TestBlock> blocks = new ConcurrentHashMap<>();
    final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    volatile long oldest;
    volatile LongConsumer onNamespaceRead = h -> {};
    /** Real payloads served for decided heights; a decided height without one has empty namespaces. */
    final Map<Long, BlockPayload> payloads = new ConcurrentHashMap<>();

    TestChainBackend(MempoolLimits limits) {
        this.mempool = new Mempool(limits, h -> false);
    }

    TestChainBackend() {
        this(new MempoolLimits(1024, 4096, 8192, 100));
    }

    void decide(long h) {
        blocks.put(h, new TestBlock(h, "0x" + Long.toHexString(h)));
        listeners.forEach(Runnable::run);
    }

    @Override public SubmitResult submit(long namespace, byte[] payload) {
        return mempool.submitFromClient(List.of(new Mempool.Submission(namespace, payload))).getFirst();
    }
    @Override public List<SubmitResult> submitAll(List<Mempool.Submission> batch) {
        return mempool.submitFromClient(batch);
    }
    @Override public Optional<SubmitResult.Refused> backlogRefusal() {
        return Optional.ofNullable(mempool.backlogRefusal());
    }
    @Override public Object status() {
        return Map.of("height", latestHeight(), "mempoolTransactions", mempool.size());
    }
    @Override public Optional<Object> block(long height, Optional<Long> certifiedHeight) {
        return Optional.ofNullable(height < oldest ? null : blocks.get(height));
    }
    @Override public Optional<Object> lightClient(Optional<Long> height) {
        return height.map(h -> (Object) Map.of("height", h)).filter(x -> blocks.containsKey(height.get()));
    }
    @Override public Optional<NamespaceProof> namespace(long height, long namespace) {
        onNamespaceRead.accept(height);
        BlockPayload payload = payloads.get(height);
        return block(height, Optional.empty()).map(b -> payload != null ? payload.namespaceProof(NamespaceId.of(namespace))
                : new NamespaceProof(NamespaceId.of(namespace), new byte[0], List.of(), null));
    }
    @Override public Optional<Object> transaction(Bytes32 hash) {
        return Optional.empty();
    }
    @Override public long latestHeight() {
        return blocks.size() - 1;
    }
    @Override public long oldestHeight() {
        return oldest;
    }
    @Override public void onDecided(Runnable listener) {
        listeners.add(listener);
    }
}
