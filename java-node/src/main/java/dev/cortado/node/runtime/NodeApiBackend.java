package dev.cortado.node.runtime;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.node.api.ApiBackend;
import dev.cortado.node.mempool.SubmitResult;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.storage.TxLocation;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.TransactionProof;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The HTTP API's view of a running node: reads go to RocksDB, submissions to the mempool. */
public final class NodeApiBackend implements ApiBackend {
  /** Submission times kept for latency; beyond this many undecided, new ones are not timed. */
  private static final int MAX_TRACKED = 1_000_000;

  private final CortadoNode node;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<Bytes32, Long> submitNanos = new ConcurrentHashMap<>();

  NodeApiBackend(CortadoNode node) {
    this.node = node;
  }

  @Override
  public SubmitResult submit(long namespace, byte[] payload) {
    long now = System.nanoTime();
    SubmitResult r = node.mempool.submit(namespace, payload, now);
    if (r instanceof SubmitResult.Accepted a) {
      if (submitNanos.size() < MAX_TRACKED) {
        submitNanos.put(a.hash(), now);
      }
      // If gossip is saturated the transaction still waits here for this node's turn to lead.
      node.gossip().offer(namespace, payload);
    }
    return r;
  }

  List<Long> takeSubmitTimes(List<Bytes32> hashes) {
    List<Long> out = new ArrayList<>();
    for (Bytes32 h : hashes) {
      Long t = submitNanos.remove(h);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public Object status() {
    return new ApiDtos.Status(node.lastDecided.height().value(), node.viewNow, node.leaderNow, node.me,
        node.peerKeys.get(node.me).hex(), node.network().connectedPeers().stream().map(PeerKey::hex).sorted().toList(),
        node.network().activeBroker().map(b -> b.address().getHostString() + ":" + b.address().getPort()).orElse(null),
        node.mempool.size(), node.store.pruneFloor());
  }

  @Override
  public Optional<Object> block(long height) {
    return node.store.decided(height).map(d -> BlockAnswer.of(BlockHeader.decode(d.header()), node.settings.chainId(),
        null, null));
  }

  private BlockPayload payload(long height) {
    WireReader r = new WireReader(node.store.payload(height).orElseThrow());
    return BlockPayload.parse(r.bytes("ns table", Integer.MAX_VALUE), r.bytes("payload", Integer.MAX_VALUE));
  }

  @Override
  public Optional<Object> namespace(long height, long namespace) {
    if (node.store.decided(height).isEmpty() || node.store.payload(height).isEmpty()) {
      return Optional.empty();
    }
    NamespaceProof proof = payload(height).namespaceProof(NamespaceId.of(namespace));
    return Optional.of(NamespaceAnswer.of(height, proof));
  }

  @Override
  public Optional<Object> transaction(Bytes32 hash) {
    Optional<TxLocation> loc = node.store.txLocation(hash.bytes());
    if (loc.isEmpty() || node.store.payload(loc.get().height()).isEmpty()) {
      return Optional.empty();
    }
    TxLocation l = loc.get();
    TransactionProof p = payload(l.height()).transactionProof(NamespaceId.of(l.namespace()), l.index());
    return Optional.of(TransactionAnswer.of(l.height(), p));
  }

  @Override
  public long latestHeight() {
    return node.lastDecided.height().value();
  }

  @Override
  public long oldestHeight() {
    return Math.max(1, node.store.pruneFloor());
  }

  @Override
  public void onDecided(Runnable listener) {
    listeners.add(listener);
  }

  void notifyDecided() {
    listeners.forEach(Runnable::run);
  }
}
